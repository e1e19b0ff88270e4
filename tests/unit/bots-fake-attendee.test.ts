// The fake is only worth testing against if it refuses what Attendee refuses.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeAttendee, startFakeAttendee } from '../support/fake-attendee.ts';

let fake: FakeAttendee;
beforeAll(async () => {
  fake = await startFakeAttendee();
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const later = (minutes = 60) => new Date(Date.now() + minutes * 60_000).toISOString();
const valid = () => ({
  meeting_url: 'https://meet.google.com/abc-defg-hij',
  bot_name: 'Notes',
  join_at: later(),
});

async function call(method: string, path: string, body?: unknown, auth = `Token ${fake.apiKey}`) {
  const response = await fetch(`${fake.baseUrl}${path}`, {
    method,
    headers: { Authorization: auth, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('the fake Attendee API enforces the contract', () => {
  it('needs the Token header and answers 401 otherwise', async () => {
    expect((await call('GET', '/bots', undefined, `Bearer ${fake.apiKey}`)).status).toBe(401);
    expect((await call('GET', '/bots')).status).toBe(200);
  });

  it('answers 404 for a trailing slash', async () => {
    expect((await call('POST', '/bots/', valid())).status).toBe(404);
  });

  it.each([
    ['an unknown field', { ...valid(), colour: 'blue' }],
    ['a missing bot_name', { meeting_url: 'https://meet.google.com/abc-defg-hij' }],
    ['an unsupported meeting URL', { ...valid(), meeting_url: 'https://example.com/x' }],
    ['an emoji in the bot name', { ...valid(), bot_name: 'Notes 📝' }],
    ['a join_at in the past', { ...valid(), join_at: later(-5) }],
    ['a join_at three years ahead', { ...valid(), join_at: later(3 * 366 * 24 * 60) }],
    ['non-string metadata', { ...valid(), metadata: { attempt: 1 } }],
    ['empty metadata', { ...valid(), metadata: {} }],
  ])('refuses %s with 400', async (_, body) => {
    expect((await call('POST', '/bots', body)).status).toBe(400);
  });

  it('keeps deduplication keys unique among bots that are not terminal', async () => {
    const first = await call('POST', '/bots', { ...valid(), deduplication_key: 'k' });
    expect(first.status).toBe(201);
    const duplicate = await call('POST', '/bots', { ...valid(), deduplication_key: 'k' });
    expect(duplicate).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining('Deduplication key') },
    });
    fake.setState(first.body.id, 'ended');
    expect((await call('POST', '/bots', { ...valid(), deduplication_key: 'k' })).status).toBe(201);
  });

  it('deletes and moves a bot only while it is scheduled; metadata may change at any time', async () => {
    const { body: bot } = await call('POST', '/bots', valid());
    fake.setState(bot.id, 'joined_recording');
    expect((await call('DELETE', `/bots/${bot.id}`)).status).toBe(400);
    expect((await call('PATCH', `/bots/${bot.id}`, { join_at: later(90) })).status).toBe(400);
    expect((await call('PATCH', `/bots/${bot.id}`, { metadata: { a: 'b' } })).status).toBe(200);
    expect((await call('PATCH', `/bots/${bot.id}`, { state: 'ended' })).status).toBe(400);
  });

  it('stages a scheduled bot five minutes before it joins', async () => {
    const { body: bot } = await call('POST', '/bots', { ...valid(), join_at: later(4) });
    expect(bot.state).toBe('staged');
    expect((await call('DELETE', `/bots/${bot.id}`)).status).toBe(400);
  });

  it('answers 404 for an unknown bot', async () => {
    expect(await call('GET', '/bots/bot_nope')).toEqual({ status: 404, body: { error: 'Bot not found' } });
  });
});
