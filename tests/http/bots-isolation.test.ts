import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoScheduleUserBots } from '../../shared/bots/auto-schedule.ts';
import { actorFor, createBotsDeps } from '../../shared/bots/deps.ts';
import { botsOf, insertMeeting, ownerClient, saveSettings } from '../support/bots-fixtures.ts';
import { createUser } from '../support/db.ts';
import { type FakeAttendee, startFakeAttendee } from '../support/fake-attendee.ts';
import { callFunction, statusAndBody } from '../support/harness.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let fake: FakeAttendee;
let stack: TestStack;
let db: pg.Client;
let owner: string;
let other: string;
let meetingId: string;
let botId: string;
let attendeeBotId: string;

async function as(userId: string, method: string, path: string, body?: unknown) {
  return callFunction(stack, `bots${path ? `/${path}` : ''}`, {
    method,
    token: await stack.userToken(userId),
    json: body,
  }).then(statusAndBody);
}

beforeAll(async () => {
  fake = await startFakeAttendee();
  stack = await startTestStack({ ATTENDEE_API_KEY: fake.apiKey, ATTENDEE_BASE_URL: fake.baseUrl });
  db = await ownerClient(stack.database.url);
  owner = await createUser(stack.database.url);
  other = await createUser(stack.database.url);
  await saveSettings(db, other, { auto_schedule: true });
  meetingId = await insertMeeting(db, owner);
  const { body } = await as(owner, 'POST', 'schedule-meeting', { meetingId });
  botId = body.bot.id;
  attendeeBotId = body.bot.attendeeBotId;
});
afterAll(async () => {
  await db.end();
  await stack.stop();
  await fake.stop();
});

describe("one user and another user's bots", () => {
  it("cannot schedule a bot for another user's meeting (404, nothing created)", async () => {
    const { status } = await as(other, 'POST', 'schedule-meeting', { meetingId });
    expect(status).toBe(404);
    expect(await botsOf(db, meetingId)).toHaveLength(1);
  });

  it("cannot see another user's bot, in the list or by id", async () => {
    expect((await as(other, 'GET', botId)).status).toBe(404);
    expect((await as(other, 'GET', '')).body.bots).toEqual([]);
    expect((await as(owner, 'GET', '')).body.bots.map((bot: { id: string }) => bot.id)).toEqual([botId]);
    expect((await as(other, 'GET', 'scheduling-logs')).body.logs).toEqual([]);
  });

  it("cannot cancel another user's bot", async () => {
    expect((await as(other, 'DELETE', botId)).status).toBe(404);
    expect(fake.bots.get(attendeeBotId)?.state).toBe('scheduled');
    expect((await botsOf(db, meetingId))[0]?.state).toBe('scheduled');
  });

  it("does not reach another user's meetings or bots when auto-scheduling or syncing", async () => {
    await db.query(`update public.meetings set status = 'cancelled' where id = $1`, [meetingId]);
    try {
      const run = await as(other, 'POST', 'auto-schedule');
      expect(run.body.counts.total).toBe(0);
      expect(run.body.sync).toEqual({ updated: [], cancelled: [], leftAlone: [], failed: [] });
      // A job for one user acts as that user only.
      const deps = createBotsDeps(stack.services);
      const job = await autoScheduleUserBots(deps, actorFor(other));
      expect(job.counts.total).toBe(0);
      expect(fake.bots.has(attendeeBotId)).toBe(true);
    } finally {
      await db.query(`update public.meetings set status = 'confirmed' where id = $1`, [meetingId]);
    }
  });

  it('is kept out by row level security on meeting_bots and the webhook events', async () => {
    const claims = { role: 'authenticated' as const, sub: other };
    await stack.services.db.asUser(claims, async (tx) => {
      expect((await tx.query('select id from public.meeting_bots')).rows).toEqual([]);
      expect((await tx.query('select id from public.attendee_webhook_events')).rows).toEqual([]);
    });
    // Bot rows are service-owned: no user may insert, update or delete one, their own or anyone's.
    for (const statement of [
      [`update public.meeting_bots set state = 'cancelled' where id = $1`, [botId]],
      [`delete from public.meeting_bots where id = $1`, [botId]],
      [
        `insert into public.meeting_bots (user_id, meeting_id, state) values ($1, $2, 'pending')`,
        [owner, meetingId],
      ],
      [
        `insert into public.meeting_bots (user_id, meeting_id, state) values ($1, $2, 'ended')`,
        [other, meetingId],
      ],
    ] as const) {
      await expect(
        stack.services.db.asUser(claims, (tx) => tx.query(statement[0], [...statement[1]])),
      ).rejects.toMatchObject({ code: '42501' });
    }
    await expect(
      stack.services.db.asUser(claims, (tx) =>
        tx.query(`insert into public.bot_scheduling_logs (user_id, decision) values ($1, 'skipped')`, [
          other,
        ]),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    expect((await botsOf(db, meetingId))[0]?.state).toBe('scheduled');
  });
});
