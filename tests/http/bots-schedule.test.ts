import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  botsOf,
  insertMeeting,
  logsOf,
  minutesFromNow,
  ownerClient,
  ZOOM,
} from '../support/bots-fixtures.ts';
import { createUser } from '../support/db.ts';
import { type FakeAttendee, startFakeAttendee } from '../support/fake-attendee.ts';
import { callFunction, statusAndBody } from '../support/harness.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let fake: FakeAttendee;
let stack: TestStack;
let db: pg.Client;
let userId: string;
let token: string;

beforeAll(async () => {
  fake = await startFakeAttendee();
  stack = await startTestStack({
    ATTENDEE_API_KEY: fake.apiKey,
    ATTENDEE_BASE_URL: fake.baseUrl,
    ATTENDEE_WEBHOOK_SECRET: fake.webhookSecret,
  });
  db = await ownerClient(stack.database.url);
  userId = await createUser(stack.database.url);
  token = await stack.userToken(userId);
});
afterAll(async () => {
  await db.end();
  await stack.stop();
  await fake.stop();
});
beforeEach(() => fake.reset());

async function schedule(meetingId: string) {
  return callFunction(stack, 'bots/schedule-meeting', { method: 'POST', token, json: { meetingId } }).then(
    statusAndBody,
  );
}

describe('POST /bots/schedule-meeting', () => {
  it('creates a scheduled bot at Attendee with join_at, a deduplication key and string metadata', async () => {
    const start = minutesFromNow(90);
    const meetingId = await insertMeeting(db, userId, { start, meetingUrl: ZOOM, title: 'Renewal call' });
    const { status, body } = await schedule(meetingId);
    expect(status).toBe(201);
    expect(body.bot).toMatchObject({ meetingId, state: 'scheduled', sent: true });
    expect(body.linked).toBe(false);

    const [request] = fake.createRequests();
    const sent = request!.body as Record<string, unknown>;
    expect(request!.authorization).toBe(`Token ${fake.apiKey}`);
    expect(sent.meeting_url).toBe(ZOOM);
    expect(sent.bot_name).toBe('Meeting Notetaker');
    expect(Date.parse(sent.join_at as string)).toBe(start.getTime() - 2 * 60_000);
    expect(sent.deduplication_key).toBe(`meeting:${meetingId}:${start.toISOString()}`);
    expect(sent.metadata).toEqual({
      source: 'meeting-intelligence',
      meeting_id: meetingId,
      meeting_bot_id: body.bot.id,
      meeting_start: start.toISOString(),
    });
    expect(sent.transcription_settings).toEqual({ deepgram: { language: 'en' } });

    const [row] = await botsOf(db, meetingId);
    expect(row).toMatchObject({ attendee_bot_id: body.bot.attendeeBotId, state: 'scheduled', sent: true });
    expect(fake.bots.get(row!.attendee_bot_id!)?.metadata?.meeting_bot_id).toBe(row!.id);
    // Configured through the AI service (the offline provider here), which logs the call for the user.
    expect(row!.bot_config).toMatchObject({ source: 'ai', botName: 'Meeting Notetaker' });
    const { rows: calls } = await db.query(
      `select operation, provider, status from public.ai_processing_logs where user_id = $1`,
      [userId],
    );
    expect(calls).toContainEqual({ operation: 'bot_configuration', provider: 'local', status: 'success' });
  });

  it('answers 409 already_scheduled the second time and never creates a second bot', async () => {
    const meetingId = await insertMeeting(db, userId);
    expect((await schedule(meetingId)).status).toBe(201);
    const again = await schedule(meetingId);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_scheduled');
    expect(fake.createRequests()).toHaveLength(1);
    expect(await botsOf(db, meetingId)).toHaveLength(1);
  });

  it.each([
    ['unsupported_url', { meetingUrl: 'https://example.com/room/1' }],
    ['unsupported_url', { meetingUrl: null }],
    ['too_soon', { start: minutesFromNow(1) }],
    ['cancelled', { status: 'cancelled' as const }],
    ['ended', { start: minutesFromNow(-90) }],
    ['all_day', { durationMinutes: 24 * 60 }],
    ['excluded', { botOverride: 'never' as const }],
  ])('refuses with 409 %s and logs the decision', async (reason, fixture) => {
    const meetingId = await insertMeeting(db, userId, fixture);
    const { status, body } = await schedule(meetingId);
    expect(status).toBe(409);
    expect(body.error.code).toBe(reason);
    expect(fake.createRequests()).toHaveLength(0);
    const logs = (await logsOf(db, userId)).filter((log) => log.meeting_id === meetingId);
    expect(logs).toEqual([expect.objectContaining({ decision: 'skipped', reason })]);
  });

  it('ignores the auto-scheduling filters for a meeting asked for explicitly', async () => {
    const meetingId = await insertMeeting(db, userId, { attendees: [], title: 'Private 1:1' });
    expect((await schedule(meetingId)).status).toBe(201);
  });

  it('answers 404 for an unknown meeting and 400 for a malformed id', async () => {
    expect((await schedule(crypto.randomUUID())).status).toBe(404);
    const malformed = await schedule('nope');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('bad_request');
  });

  it('links the bot Attendee already holds for the deduplication key instead of failing', async () => {
    const start = minutesFromNow(120);
    const meetingId = await insertMeeting(db, userId, { start });
    // As if an earlier attempt reached Attendee and the answer was lost.
    const earlier = await fetch(`${fake.baseUrl}/bots`, {
      method: 'POST',
      headers: { Authorization: `Token ${fake.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        meeting_url: 'https://meet.google.com/abc-defg-hij',
        bot_name: 'Meeting Notetaker',
        join_at: new Date(start.getTime() - 120_000).toISOString(),
        deduplication_key: `meeting:${meetingId}:${start.toISOString()}`,
      }),
    }).then((response) => response.json());
    const { status, body } = await schedule(meetingId);
    expect(status).toBe(201);
    expect(body.linked).toBe(true);
    expect(body.bot.attendeeBotId).toBe(earlier.id);
    expect(fake.bots.size).toBe(1);
    const logs = (await logsOf(db, userId)).filter((log) => log.meeting_id === meetingId);
    expect(logs).toEqual([expect.objectContaining({ decision: 'linked', reason: 'duplicate_key' })]);
  });

  it('waits for Retry-After when Attendee answers 429, then schedules', async () => {
    fake.inject({ method: 'POST', path: /^\/bots$/, status: 429, headers: { 'Retry-After': '1' } });
    const meetingId = await insertMeeting(db, userId);
    const started = Date.now();
    const { status } = await schedule(meetingId);
    expect(status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.createRequests().map((request) => request.status)).toEqual([429, 201]);
  });

  it('retries 5xx answers with backoff, then schedules', async () => {
    fake.inject({ method: 'POST', path: /^\/bots$/, status: 503, times: 2 });
    const meetingId = await insertMeeting(db, userId);
    expect((await schedule(meetingId)).status).toBe(201);
    expect(fake.createRequests().map((request) => request.status)).toEqual([503, 503, 201]);
  });

  it('fails the meeting with Attendee’s message on another 400, and frees it for a later attempt', async () => {
    fake.inject({
      method: 'POST',
      path: /^\/bots$/,
      status: 400,
      body: { meeting_url: ['Invalid meeting URL'] },
    });
    const meetingId = await insertMeeting(db, userId);
    const { status, body } = await schedule(meetingId);
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ code: 'attendee_rejected' });
    expect(body.error.message).toContain('meeting_url: Invalid meeting URL');
    expect(await botsOf(db, meetingId)).toEqual([
      expect.objectContaining({ state: 'failed', last_error: 'meeting_url: Invalid meeting URL' }),
    ]);
    expect((await schedule(meetingId)).status).toBe(201);
  });

  it('answers 503 when Attendee keeps failing, without leaving the meeting claimed', async () => {
    fake.inject({ method: 'POST', path: /^\/bots$/, status: 500, times: 10 });
    const meetingId = await insertMeeting(db, userId);
    const { status, body } = await schedule(meetingId);
    expect(status).toBe(503);
    expect(body.error.code).toBe('attendee_unavailable');
    expect((await botsOf(db, meetingId))[0]?.state).toBe('failed');
  }, 20_000);
});
