import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  botsOf,
  insertMeeting,
  logsOf,
  minutesFromNow,
  ownerClient,
  saveSettings,
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

beforeAll(async () => {
  fake = await startFakeAttendee();
  stack = await startTestStack({ ATTENDEE_API_KEY: fake.apiKey, ATTENDEE_BASE_URL: fake.baseUrl });
  db = await ownerClient(stack.database.url);
});
afterAll(async () => {
  await db.end();
  await stack.stop();
  await fake.stop();
});
beforeEach(async () => {
  fake.reset();
  userId = await createUser(stack.database.url);
});

async function call(path: string, body?: unknown) {
  return callFunction(stack, `bots/${path}`, {
    method: 'POST',
    token: await stack.userToken(userId),
    json: body,
  }).then(statusAndBody);
}

async function scheduled(fixture: Parameters<typeof insertMeeting>[2] = {}) {
  const meetingId = await insertMeeting(db, userId, fixture);
  const { status, body } = await call('schedule-meeting', { meetingId });
  expect(status).toBe(201);
  return { meetingId, botId: body.bot.id as string, attendeeBotId: body.bot.attendeeBotId as string };
}

const moveMeeting = (meetingId: string, start: Date) =>
  db.query(
    `update public.meetings set start_time = $2, end_time = $2::timestamptz + interval '30 minutes' where id = $1`,
    [meetingId, start],
  );

describe('keeping bots in step with their meetings (POST /bots/sync)', () => {
  it('moves the bot of a moved meeting with PATCH join_at', async () => {
    const { meetingId, botId, attendeeBotId } = await scheduled({ start: minutesFromNow(90) });
    const moved = minutesFromNow(240);
    await moveMeeting(meetingId, moved);
    const { body } = await call('sync');
    expect(body.updated).toEqual([
      expect.objectContaining({ botId, reason: 'meeting_moved', state: 'scheduled' }),
    ]);
    const expected = new Date(moved.getTime() - 2 * 60_000).toISOString();
    expect(fake.bots.get(attendeeBotId)?.join_at).toBe(expected);
    expect((await botsOf(db, meetingId))[0]?.join_at?.toISOString()).toBe(expected);
    expect(fake.requests.filter((request) => request.method === 'PATCH')).toEqual([
      expect.objectContaining({ path: `/bots/${attendeeBotId}`, body: { join_at: expected }, status: 200 }),
    ]);
    expect((await logsOf(db, userId)).at(-1)).toMatchObject({ decision: 'updated', reason: 'meeting_moved' });
  });

  it('patches the link when the meeting moved to another supported link', async () => {
    const { meetingId, attendeeBotId } = await scheduled();
    await db.query(`update public.meetings set meeting_url = $2 where id = $1`, [meetingId, ZOOM]);
    const { body } = await call('sync');
    expect(body.updated).toEqual([expect.objectContaining({ reason: 'link_changed' })]);
    expect(fake.bots.get(attendeeBotId)?.meeting_url).toBe('https://us02web.zoom.us/j/81234567890?pwd=abc');
  });

  it('deletes the scheduled bot of a cancelled meeting', async () => {
    const { meetingId, botId, attendeeBotId } = await scheduled();
    await db.query(`update public.meetings set status = 'cancelled' where id = $1`, [meetingId]);
    const { body } = await call('sync');
    expect(body.cancelled).toEqual([
      expect.objectContaining({ botId, reason: 'meeting_cancelled', state: 'cancelled' }),
    ]);
    expect(fake.bots.has(attendeeBotId)).toBe(false);
    expect((await botsOf(db, meetingId))[0]?.state).toBe('cancelled');
    expect((await logsOf(db, userId)).at(-1)).toMatchObject({
      decision: 'cancelled',
      reason: 'meeting_cancelled',
    });
    // Nothing left to do the second time.
    expect((await call('sync')).body).toEqual({ updated: [], cancelled: [], leftAlone: [], failed: [] });
  });

  it('leaves alone a bot Attendee has already staged, records its state and logs it', async () => {
    const { meetingId, botId, attendeeBotId } = await scheduled();
    fake.setState(attendeeBotId, 'staged');
    await db.query(`update public.meetings set status = 'cancelled' where id = $1`, [meetingId]);
    const { body } = await call('sync');
    expect(body.leftAlone).toEqual([
      expect.objectContaining({ botId, state: 'staged', reason: 'meeting_cancelled' }),
    ]);
    expect(fake.bots.get(attendeeBotId)?.state).toBe('staged');
    expect((await botsOf(db, meetingId))[0]?.state).toBe('staged');
    expect((await logsOf(db, userId)).at(-1)).toMatchObject({
      decision: 'left_alone',
      reason: 'meeting_cancelled',
    });
    // Known to be staged now: no further call to Attendee.
    const calls = fake.requests.length;
    const again = await call('sync');
    expect(again.body.leftAlone).toEqual([expect.objectContaining({ botId, state: 'staged' })]);
    expect(fake.requests.length).toBe(calls);
  });

  it('deletes at Attendee the bot of a meeting moved to start too soon: none is left at the old time', async () => {
    const { meetingId, botId, attendeeBotId } = await scheduled({ start: minutesFromNow(90) });
    await moveMeeting(meetingId, minutesFromNow(1));
    const { body } = await call('sync');
    expect(body.cancelled).toEqual([
      expect.objectContaining({ botId, reason: 'too_soon', state: 'cancelled' }),
    ]);
    expect(fake.requests.filter((request) => request.method === 'PATCH')).toHaveLength(0);
    expect(fake.bots.has(attendeeBotId)).toBe(false);
    const [row] = await botsOf(db, meetingId);
    expect(row).toMatchObject({ state: 'cancelled', last_error: expect.stringContaining('too soon') });
    expect((await logsOf(db, userId)).at(-1)).toMatchObject({ decision: 'cancelled', reason: 'too_soon' });
  });

  it('says why when Attendee refuses to delete it: the bot was staged meanwhile', async () => {
    const { meetingId, botId, attendeeBotId } = await scheduled({ start: minutesFromNow(90) });
    fake.setState(attendeeBotId, 'staged');
    await moveMeeting(meetingId, minutesFromNow(1));
    const { body } = await call('sync');
    expect(body.leftAlone).toEqual([
      expect.objectContaining({
        botId,
        state: 'staged',
        error: expect.stringContaining('cannot be deleted'),
      }),
    ]);
    expect((await botsOf(db, meetingId))[0]?.state).toBe('staged');
    expect((await logsOf(db, userId)).at(-1)).toMatchObject({ decision: 'left_alone' });
  });

  it('reconciles as part of auto-scheduling, then decides the meetings', async () => {
    await saveSettings(db, userId, { auto_schedule: true });
    const { meetingId, attendeeBotId } = await scheduled({ start: minutesFromNow(90) });
    await db.query(`update public.meetings set status = 'cancelled' where id = $1`, [meetingId]);
    const { body } = await call('auto-schedule');
    expect(body.sync.cancelled).toEqual([expect.objectContaining({ meetingId })]);
    expect(body.skipped).toEqual([expect.objectContaining({ meetingId, reason: 'cancelled' })]);
    expect(fake.bots.has(attendeeBotId)).toBe(false);
  });
});

describe('DELETE /bots/:id', () => {
  it('cancels a scheduled bot at Attendee and keeps the scheduler from sending another', async () => {
    await saveSettings(db, userId, { auto_schedule: true });
    const { meetingId, botId, attendeeBotId } = await scheduled();
    const response = await fetch(`${stack.url}/functions/v1/bots/${botId}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${await stack.userToken(userId)}` },
    });
    expect(response.status).toBe(200);
    expect((await response.json()).state).toBe('cancelled');
    expect(fake.bots.has(attendeeBotId)).toBe(false);
    const { body } = await call('auto-schedule');
    expect(body.skipped).toEqual([expect.objectContaining({ meetingId, reason: 'excluded' })]);
  });

  it('answers 409 for a bot Attendee has staged', async () => {
    const { botId, attendeeBotId } = await scheduled();
    fake.setState(attendeeBotId, 'staged');
    const response = await fetch(`${stack.url}/functions/v1/bots/${botId}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${await stack.userToken(userId)}` },
    });
    expect(response.status).toBe(409);
    expect(fake.bots.has(attendeeBotId)).toBe(true);
  });
});
