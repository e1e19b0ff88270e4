import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AttendeeClient,
  createAttendeeClient,
  retryAfterMs,
} from '../../shared/bots/attendee/client.ts';
import { AttendeeError } from '../../shared/bots/attendee/errors.ts';
import { type FakeAttendee, startFakeAttendee } from '../support/fake-attendee.ts';

let fake: FakeAttendee;
let client: AttendeeClient;
let sleeps: number[];

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();
const MEET = 'https://meet.google.com/abc-defg-hij';

beforeAll(async () => {
  fake = await startFakeAttendee();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.reset();
  sleeps = [];
  client = createAttendeeClient({
    apiKey: fake.apiKey,
    baseUrl: `${fake.baseUrl}/`,
    backoffMs: 10,
    timeoutMs: 300,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
});

async function failure(promise: Promise<unknown>): Promise<AttendeeError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AttendeeError);
  return error as AttendeeError;
}

describe('Attendee client against the fake API', () => {
  it('creates a scheduled bot with Token auth and no trailing slash', async () => {
    const bot = await client.createBot({
      meeting_url: MEET,
      bot_name: 'Notetaker',
      join_at: inAnHour(),
      deduplication_key: 'meeting:1:t',
      metadata: { meeting_id: '1' },
    });
    expect(bot).toMatchObject({ state: 'scheduled', deduplication_key: 'meeting:1:t' });
    expect(bot.id).toMatch(/^bot_[A-Za-z0-9]{16}$/);
    expect(fake.requests[0]).toMatchObject({ path: '/bots', authorization: `Token ${fake.apiKey}` });
  });

  it('reports a reused deduplication key as a duplicate and finds the live bot holding it', async () => {
    const first = await client.createBot({
      meeting_url: MEET,
      bot_name: 'A',
      join_at: inAnHour(),
      deduplication_key: 'k',
    });
    const error = await failure(
      client.createBot({ meeting_url: MEET, bot_name: 'A', join_at: inAnHour(), deduplication_key: 'k' }),
    );
    expect(error.kind).toBe('duplicate');
    expect((await client.findByDeduplicationKey('k'))?.id).toBe(first.id);
  });

  it('fails other 400s with Attendee’s message and does not retry them', async () => {
    const error = await failure(client.createBot({ meeting_url: 'https://example.com/x', bot_name: 'A' }));
    expect(error).toMatchObject({
      kind: 'rejected',
      status: 400,
      message: 'meeting_url: Invalid meeting URL',
    });
    expect(fake.createRequests()).toHaveLength(1);
  });

  it('waits for Retry-After on 429 and then succeeds', async () => {
    fake.inject({
      method: 'POST',
      status: 429,
      headers: { 'Retry-After': '2' },
      body: { detail: 'slow down' },
      times: 2,
    });
    const bot = await client.createBot({ meeting_url: MEET, bot_name: 'A', join_at: inAnHour() });
    expect(bot.state).toBe('scheduled');
    expect(sleeps).toEqual([2000, 2000]);
    expect(fake.createRequests()).toHaveLength(3);
  });

  it('gives up as rate_limited when Retry-After is longer than it will wait', async () => {
    fake.inject({ method: 'POST', status: 429, headers: { 'Retry-After': '3600' } });
    expect((await failure(client.createBot({ meeting_url: MEET, bot_name: 'A' }))).kind).toBe('rate_limited');
  });

  it('retries 5xx with growing backoff and succeeds', async () => {
    fake.inject({ method: 'POST', status: 502, times: 2 });
    await client.createBot({ meeting_url: MEET, bot_name: 'A', join_at: inAnHour() });
    expect(fake.createRequests()).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]!).toBeGreaterThanOrEqual(10);
  });

  it('fails as unavailable once 5xx outlasts its attempts', async () => {
    fake.inject({ method: 'GET', status: 503, times: 10 });
    const error = await failure(client.getBot('bot_x'));
    expect(error).toMatchObject({ kind: 'unavailable', status: 503 });
    expect(fake.requests).toHaveLength(4);
  });

  it('retries a request that timed out', async () => {
    fake.inject({ method: 'GET', path: /^\/bots$/, status: 200, body: { results: [] }, delayMs: 1000 });
    const page = await client.listBots({ deduplication_key: 'none' });
    expect(page.results).toEqual([]);
    expect(sleeps).toHaveLength(1);
  });

  it('reports a bad API key as unauthorized', async () => {
    const bad = createAttendeeClient({ apiKey: 'wrong', baseUrl: fake.baseUrl });
    expect((await failure(bad.getBot('bot_x'))).kind).toBe('unauthorized');
  });

  it('moves and deletes a scheduled bot, and refuses both once it is staged', async () => {
    const bot = await client.createBot({ meeting_url: MEET, bot_name: 'A', join_at: inAnHour() });
    const later = new Date(Date.now() + 7200_000).toISOString();
    expect((await client.updateBot(bot.id, { join_at: later })).join_at).toBe(later);
    const other = await client.createBot({ meeting_url: MEET, bot_name: 'B', join_at: inAnHour() });
    fake.setState(other.id, 'staged');
    expect((await failure(client.updateBot(other.id, { join_at: later }))).kind).toBe('rejected');
    expect((await failure(client.deleteBot(other.id))).kind).toBe('rejected');
    await client.deleteBot(bot.id);
    expect((await failure(client.getBot(bot.id))).kind).toBe('not_found');
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('5')).toBe(5000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
