import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  parseSignedJson,
  plainJson,
  signWebhookBody,
  verifyWebhookSignature,
} from '../../shared/bots/attendee/signature.ts';
import { attendeeSignature } from '../support/fake-attendee.ts';

// Computed with Python 3: json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(',', ':')) and
// base64(hmac.new(base64.b64decode(SECRET), canonical.encode('utf-8'), sha256).digest()).
const SECRET = 'dGVzdC1zZWNyZXQta2V5LTAxMjM0NTY3ODlhYmNkZWY=';
const RAW = `{
  "idempotency_key": "k1", "bot_id": "bot_abc", "trigger": "bot.state_change",
  "bot_metadata": {"z": "Café ☕ 会议 😀", "meeting_id": "m1"},
  "data": {"b": 1.0, "a": [1, 2.5, 1e16, {"y": null, "x": true}], "😀": 1, "！": 2}
}`;
const PYTHON_CANONICAL =
  '{"bot_id":"bot_abc","bot_metadata":{"meeting_id":"m1","z":"Café ☕ 会议 😀"},"data":{"a":[1,2.5,1e+16,{"x":true,"y":null}],"b":1.0,"！":2,"😀":1},"idempotency_key":"k1","trigger":"bot.state_change"}';
const PYTHON_SIGNATURE = 'hXEq/AsqfUE1d0T9SZnR3KOxo4rKfzusoY+w08o+2Wk=';

describe('Attendee webhook canonical JSON', () => {
  it('matches Python json.dumps with sorted keys, compact separators and non-ASCII kept', () => {
    expect(canonicalJson(parseSignedJson(RAW))).toBe(PYTHON_CANONICAL);
  });

  it.each([
    ['1.0', '1.0'],
    ['1e16', '1e+16'],
    ['1e15', '1000000000000000.0'],
    ['1.5e-7', '1.5e-07'],
    ['0.0001', '0.0001'],
    ['0.00001', '1e-05'],
    ['123.456', '123.456'],
    ['-0.0', '-0.0'],
    ['1E5', '100000.0'],
    ['1234567890123456.7', '1234567890123456.8'],
    ['1.7976931348623157e308', '1.7976931348623157e+308'],
    ['12345678901234567890', '12345678901234567890'],
    ['-0', '0'],
  ])('prints the number %s as Python does (%s)', (source, python) => {
    expect(canonicalJson(parseSignedJson(source))).toBe(python);
  });

  it('orders keys by code point, as Python does, not by UTF-16 unit', () => {
    expect(canonicalJson(parseSignedJson('{"😀":1,"！":2,"a":3}'))).toBe('{"a":3,"！":2,"😀":1}');
  });

  it('gives back plain numbers for storage', () => {
    expect(plainJson(parseSignedJson('{"a":[1.5,{"b":2}]}'))).toEqual({ a: [1.5, { b: 2 }] });
  });
});

describe('Attendee webhook signature', () => {
  it('signs a body exactly as Attendee does', async () => {
    expect(await signWebhookBody(SECRET, parseSignedJson(RAW))).toBe(PYTHON_SIGNATURE);
  });

  it('accepts the signature Attendee computed', async () => {
    expect(await verifyWebhookSignature(SECRET, parseSignedJson(RAW), PYTHON_SIGNATURE)).toBe(true);
  });

  it('accepts a re-serialized body with other spacing and key order (the parsed body is what is signed)', async () => {
    const reordered = JSON.stringify(JSON.parse(RAW.replace('1.0', '1.5')), null, 4);
    const body = parseSignedJson(reordered);
    const signature = await signWebhookBody(SECRET, body);
    expect(
      await verifyWebhookSignature(SECRET, parseSignedJson(reordered.replace(/\n\s*/g, '')), signature),
    ).toBe(true);
  });

  it('rejects a tampered body', async () => {
    const tampered = parseSignedJson(RAW.replace('"k1"', '"k2"'));
    expect(await verifyWebhookSignature(SECRET, tampered, PYTHON_SIGNATURE)).toBe(false);
  });

  it('rejects a signature made with another secret', async () => {
    const other = Buffer.from('another-secret-another-secret!!').toString('base64');
    const forged = await signWebhookBody(other, parseSignedJson(RAW));
    expect(await verifyWebhookSignature(SECRET, parseSignedJson(RAW), forged)).toBe(false);
  });

  it('rejects a missing or malformed signature header', async () => {
    expect(await verifyWebhookSignature(SECRET, parseSignedJson(RAW), undefined)).toBe(false);
    expect(await verifyWebhookSignature(SECRET, parseSignedJson(RAW), 'not base64 !!')).toBe(false);
  });

  it('agrees with the fake Attendee server, whose signer is written independently', async () => {
    const body = { bot_id: 'bot_x', data: { new_state: 'staged', note: 'naïve 🎉' }, idempotency_key: 'i' };
    const signature = attendeeSignature(SECRET, body);
    expect(await verifyWebhookSignature(SECRET, parseSignedJson(JSON.stringify(body)), signature)).toBe(true);
  });
});
