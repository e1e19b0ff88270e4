import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAttendeeClient } from '../../shared/bots/attendee/client.ts';
import { createBotsDeps } from '../../shared/bots/deps.ts';
import { addBotJobs, runCancelMeetingBotJob, runScheduleMeetingJob } from '../../shared/bots/jobs.ts';
import { createLogger } from '../../shared/http/logger.ts';
import { parsePayload } from '../../shared/jobs/contract.ts';
import { type JobContext, JobRegistry } from '../../shared/jobs/registry.ts';
import { botsOf, insertMeeting, ownerClient, saveSettings } from '../support/bots-fixtures.ts';
import { createUser } from '../support/db.ts';
import { type FakeAttendee, startFakeAttendee } from '../support/fake-attendee.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let fake: FakeAttendee;
let stack: TestStack;
let db: pg.Client;
let deps: ReturnType<typeof createBotsDeps>;

beforeAll(async () => {
  fake = await startFakeAttendee();
  stack = await startTestStack();
  db = await ownerClient(stack.database.url);
  deps = createBotsDeps(stack.services, {
    attendee: createAttendeeClient({ apiKey: fake.apiKey, baseUrl: fake.baseUrl, backoffMs: 5 }),
  });
});
afterAll(async () => {
  await db.end();
  await stack.stop();
  await fake.stop();
});
beforeEach(() => fake.reset());

const logger = createLogger('error');
const context: JobContext = {
  id: 'job-1',
  queue: 'ai.auto_schedule_user_bots',
  retryCount: 0,
  signal: new AbortController().signal,
  logger,
};

describe('bot job handlers', () => {
  it('auto-schedules for exactly the user in the payload, and a repeat changes nothing', async () => {
    const registry = new JobRegistry();
    addBotJobs(registry, deps);
    const job = registry.get('ai.auto_schedule_user_bots')!;
    const run = (data: unknown) => job.handler(parsePayload(job, data), context);
    const userId = await createUser(stack.database.url);
    const neighbour = await createUser(stack.database.url);
    await saveSettings(db, userId, { auto_schedule: true });
    await saveSettings(db, neighbour, { auto_schedule: true });
    const mine = await insertMeeting(db, userId);
    const theirs = await insertMeeting(db, neighbour);
    const first = (await run({ userId })) as { counts: { scheduled: number } };
    expect(first.counts.scheduled).toBe(1);
    await run({ userId });
    expect(await botsOf(db, mine)).toHaveLength(1);
    expect(await botsOf(db, theirs)).toHaveLength(0);
    expect(fake.createRequests()).toHaveLength(1);
  });

  it('registers the bot queues, and their payloads must name a user', () => {
    const registry = new JobRegistry();
    addBotJobs(registry, deps);
    expect(registry.queues()).toEqual([
      'ai.auto_schedule_user_bots',
      'ai.cancel_meeting_bot',
      'ai.generate_bot_configuration',
      'ai.schedule_meeting_bot',
    ]);
    expect(() => parsePayload(registry.get('ai.auto_schedule_user_bots')!, {})).toThrow(/userId/);
    expect(() =>
      parsePayload(registry.get('ai.schedule_meeting_bot')!, { userId: crypto.randomUUID() }),
    ).toThrow(/meetingId/);
  });

  it('schedules one meeting, and throws for a transient Attendee failure so the queue retries', async () => {
    const userId = await createUser(stack.database.url);
    const meetingId = await insertMeeting(db, userId);
    fake.inject({ method: 'POST', path: /^\/bots$/, status: 503, times: 4 });
    await expect(runScheduleMeetingJob(deps, { userId, meetingId })).rejects.toThrow(/Injected failure/);
    const retried = await runScheduleMeetingJob(deps, { userId, meetingId });
    expect(retried).toMatchObject({ decision: 'scheduled' });
    expect(await runScheduleMeetingJob(deps, { userId, meetingId })).toMatchObject({
      decision: 'skipped',
      reason: 'already_scheduled',
    });
    expect(fake.bots.size).toBe(1);
  });

  it('does nothing for a meeting of another user', async () => {
    const userId = await createUser(stack.database.url);
    const other = await createUser(stack.database.url);
    const meetingId = await insertMeeting(db, other);
    expect(await runScheduleMeetingJob(deps, { userId, meetingId })).toBeUndefined();
    expect(await botsOf(db, meetingId)).toHaveLength(0);
  });
});

describe('a scheduled bot whose meeting is deleted', () => {
  /** The `ai.cancel_meeting_bot` jobs the database enqueued for these Attendee bots. */
  async function cancelJobs(attendeeBotIds: string[]) {
    const { rows } = await db.query<{ data: { attendeeBotId: string; meetingId: string; userId: string } }>(
      `select data from pgboss.job where name = 'ai.cancel_meeting_bot' and data->>'attendeeBotId' = any($1)`,
      [attendeeBotIds],
    );
    return rows.map((row) => row.data);
  }

  it('is deleted at Attendee by the job its row deletion enqueued, retried through an outage', async () => {
    const userId = await createUser(stack.database.url);
    const meetingId = await insertMeeting(db, userId);
    await runScheduleMeetingJob(deps, { userId, meetingId });
    const [bot] = await botsOf(db, meetingId);
    const attendeeBotId = bot!.attendee_bot_id!;
    expect(fake.bots.get(attendeeBotId)?.state).toBe('scheduled');

    // The user deletes the meeting through the API's rules (RLS as that user); the bot row goes by cascade.
    await stack.services.db.asUser({ sub: userId, role: 'authenticated' }, (tx) =>
      tx.query('delete from public.meetings where id = $1', [meetingId]),
    );
    const jobs = await cancelJobs([attendeeBotId]);
    expect(jobs).toEqual([{ attendeeBotId, meetingId, userId }]);

    fake.inject({ method: 'DELETE', path: /^\/bots\//, status: 503, times: 4 });
    await expect(runCancelMeetingBotJob(deps, jobs[0]!)).rejects.toThrow(/Injected failure/);
    expect(await runCancelMeetingBotJob(deps, jobs[0]!)).toEqual({ attendeeBotId, outcome: 'deleted' });
    expect(fake.bots.has(attendeeBotId)).toBe(false);
    // A repeat (the job redelivered) finds it gone and is done.
    expect(await runCancelMeetingBotJob(deps, jobs[0]!)).toEqual({ attendeeBotId, outcome: 'already_gone' });
  });

  it('enqueues nothing for a bot that was never sent or is already cancelled', async () => {
    const userId = await createUser(stack.database.url);
    const cancelledMeeting = await insertMeeting(db, userId);
    await runScheduleMeetingJob(deps, { userId, meetingId: cancelledMeeting });
    const [bot] = await botsOf(db, cancelledMeeting);
    await db.query(`update public.meeting_bots set state = 'cancelled' where id = $1`, [bot!.id]);
    await db.query('delete from public.meetings where id = $1', [cancelledMeeting]);
    expect(await cancelJobs([bot!.attendee_bot_id!])).toEqual([]);
  });
});
