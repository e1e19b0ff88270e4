// An Attendee bot id a user could have written never reaches Attendee: bot rows are service-owned, and before
// any call naming an existing bot the service checks its own register of the ids Attendee issued to it for
// this user's meeting. The fake Attendee records every request, so "never reaches" is checked directly.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotsDeps } from '../../shared/bots/deps.ts';
import { runCancelMeetingBotJob } from '../../shared/bots/jobs.ts';
import { botsOf, insertMeeting, ownerClient } from '../support/bots-fixtures.ts';
import { createUser } from '../support/db.ts';
import { type FakeAttendee, startFakeAttendee } from '../support/fake-attendee.ts';
import { callFunction, statusAndBody } from '../support/harness.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let fake: FakeAttendee;
let stack: TestStack;
let db: pg.Client;
let victim: string;
let mallory: string;
let victimBot: string;

async function as(userId: string, method: string, path: string, body?: unknown) {
  return callFunction(stack, `bots/${path}`, {
    method,
    token: await stack.userToken(userId),
    json: body,
  }).then(statusAndBody);
}

const requestsNaming = (attendeeBotId: string) =>
  fake.requests.filter((request) => request.path.includes(attendeeBotId));

beforeAll(async () => {
  fake = await startFakeAttendee();
  stack = await startTestStack({ ATTENDEE_API_KEY: fake.apiKey, ATTENDEE_BASE_URL: fake.baseUrl });
  db = await ownerClient(stack.database.url);
  [victim, mallory] = await Promise.all([createUser(stack.database.url), createUser(stack.database.url)]);
  const { body } = await as(victim, 'POST', 'schedule-meeting', {
    meetingId: await insertMeeting(db, victim),
  });
  victimBot = body.bot.attendeeBotId;
  expect(victimBot).toMatch(/^bot_/);
});
afterAll(async () => {
  await db.end();
  await stack.stop();
  await fake.stop();
});

describe("another user's Attendee bot id", () => {
  it('cannot be written into a bot row by a user (no column of meeting_bots is writable)', async () => {
    const meetingId = await insertMeeting(db, mallory);
    expect((await as(mallory, 'POST', 'schedule-meeting', { meetingId })).status).toBe(201);
    const [own] = await botsOf(db, meetingId);
    await expect(
      stack.services.db.asUser({ role: 'authenticated', sub: mallory }, (tx) =>
        tx.query('update public.meeting_bots set attendee_bot_id = $2 where id = $1', [own!.id, victimBot]),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    expect((await botsOf(db, meetingId))[0]?.attendee_bot_id).toBe(own!.attendee_bot_id);
  });

  it('written by other means, is never sent to Attendee: not by DELETE /bots/{id}, sync, nor the cancel job', async () => {
    const meetingId = await insertMeeting(db, mallory, { title: 'Forged' });
    expect((await as(mallory, 'POST', 'schedule-meeting', { meetingId })).status).toBe(201);
    const [own] = await botsOf(db, meetingId);
    // Move the victim's id out of their row (the column is unique) and into mallory's, as the database owner
    // would: as if a bug or a migration had let it through.
    await db.query(
      `update public.meeting_bots set attendee_bot_id = attendee_bot_id || '-moved' where attendee_bot_id = $1`,
      [victimBot],
    );
    await db.query('update public.meeting_bots set attendee_bot_id = $2 where id = $1', [own!.id, victimBot]);
    fake.requests.length = 0;

    const cancel = await as(mallory, 'DELETE', own!.id);
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.message).toBe('The bot cannot be cancelled at Attendee');

    await db.query(
      `update public.meetings set start_time = start_time + interval '1 hour',
                    end_time = end_time + interval '1 hour' where id = $1`,
      [meetingId],
    );
    expect((await as(mallory, 'POST', 'sync')).status).toBe(200);

    await db.query('delete from public.meetings where id = $1', [meetingId]);
    const { rows } = await db.query<{ data: { attendeeBotId: string; meetingId: string; userId: string } }>(
      `select data from pgboss.job where name = 'ai.cancel_meeting_bot' and data->>'meetingId' = $1`,
      [meetingId],
    );
    expect(rows).toHaveLength(1);
    await expect(runCancelMeetingBotJob(createBotsDeps(stack.services), rows[0]!.data)).rejects.toThrow(
      /not issued for this meeting; nothing was sent to Attendee/,
    );

    expect(requestsNaming(victimBot)).toEqual([]);
    expect(fake.bots.get(victimBot)?.state).toBe('scheduled');
  });
});
