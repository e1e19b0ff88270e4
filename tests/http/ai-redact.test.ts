import { FunctionsHttpError, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createUser } from '../support/db.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let client: SupabaseClient;

beforeAll(async () => {
  stack = await startTestStack({ AI_PROVIDER: 'local', LOG_LEVEL: 'info' });
  client = stack.client(await stack.userToken(await createUser(stack.database.url)));
});
afterAll(() => stack.stop());

async function redact(body: unknown, as = client) {
  const { data, error } = await as.functions.invoke('ai/redact', { method: 'POST', body: body as object });
  if (error instanceof FunctionsHttpError) {
    return { status: error.context.status as number, body: await error.context.json() };
  }
  if (error) throw error;
  return { status: 200, body: data };
}

const TEXT = [
  'Dana Reyes: mail me at dana.reyes@acme.com or call +44 20 7946 0958.',
  'The card is 4111 1111 1111 1111, refunds to DE89 3704 0044 0532 0130 00.',
  'My SSN is 123-45-6789 and the VPN gave me 10.2.3.4 and 2001:db8::7.',
].join('\n');

describe('POST /ai/redact', () => {
  it('replaces each PII mention with its type, and reports offsets and counts', async () => {
    const { status, body } = await redact({ text: TEXT });
    expect(status).toBe(200);
    expect(body.text).toBe(
      [
        '[PERSON]: mail me at [EMAIL] or call [PHONE].',
        'The card is [CARD], refunds to [IBAN].',
        'My SSN is [NATIONAL_ID] and the VPN gave me [IP_ADDRESS] and [IP_ADDRESS].',
      ].join('\n'),
    );
    expect(body.counts).toEqual({
      email: 1,
      phone: 1,
      card: 1,
      iban: 1,
      national_id: 1,
      ip_address: 2,
      person: 1,
    });
    expect(body.entities.map((e: { start: number; end: number }) => TEXT.slice(e.start, e.end))).toEqual([
      'Dana Reyes',
      'dana.reyes@acme.com',
      '+44 20 7946 0958',
      '4111 1111 1111 1111',
      'DE89 3704 0044 0532 0130 00',
      '123-45-6789',
      '10.2.3.4',
      '2001:db8::7',
    ]);
  });

  it('masks character for character in mask mode, only the types asked for', async () => {
    const { status, body } = await redact({
      text: TEXT,
      mode: 'mask',
      maskCharacter: '#',
      types: ['card', 'email'],
    });
    expect(status).toBe(200);
    expect(body.text).toHaveLength(TEXT.length);
    expect(body.text).toContain(
      `mail me at ${'#'.repeat('dana.reyes@acme.com'.length)} or call +44 20 7946 0958`,
    );
    expect(body.text).toContain(`The card is ${'#'.repeat(19)}, refunds to DE89`);
    expect(body.counts).toMatchObject({ card: 1, email: 1, phone: 0, person: 0 });
  });

  it('leaves a card number that fails Luhn and an IBAN with a wrong check alone', async () => {
    const text = 'Ticket 4111 1111 1111 1112 and reference DE00 3704 0044 0532 0130 00 are not PII.';
    const { body } = await redact({ text, types: ['card', 'iban'] });
    expect(body.text).toBe(text);
    expect(body.entities).toEqual([]);
  });

  it('logs counts by type and never a value', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      lines.push(String(line));
    });
    try {
      await redact({ text: TEXT });
    } finally {
      spy.mockRestore();
    }
    const line = lines.find((l) => l.includes('pii redacted'));
    expect(JSON.parse(line!)).toMatchObject({ mode: 'replace', counts: { email: 1, ip_address: 2 } });
    for (const value of ['dana.reyes@acme.com', '7946', '4111', 'DE89', '123-45', '10.2.3.4', 'Dana']) {
      expect(lines.join('\n')).not.toContain(value);
    }
  });

  it.each([
    ['an empty text', { text: '' }],
    ['an unknown mode', { text: 'x', mode: 'hash' }],
    ['a letter as mask character', { text: 'x', mode: 'mask', maskCharacter: 'x' }],
    ['an unknown type', { text: 'x', types: ['dna'] }],
    ['no types', { text: 'x', types: [] }],
    ['an unknown field', { text: 'x', language: 'en' }],
  ])('answers 400 for %s', async (_case, body) => {
    const response = await redact(body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('bad_request');
  });

  it('refuses the anon key with 401', async () => {
    expect((await redact({ text: 'dana@acme.com' }, stack.client())).status).toBe(401);
  });
});
