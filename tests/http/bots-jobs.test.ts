import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAttendeeClient } from '../../shared/bots/attendee/client.ts';
import { createBotsDeps } from '../../shared/bots/deps.ts';
import { addBotJobs, runScheduleMeetingJob } from '../../shared/bots/jobs.ts';
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

  it('registers both bot queues, and their payloads must name a user', () => {
    const registry = new JobRegistry();
    addBotJobs(registry, deps);
    expect(registry.queues()).toEqual(['ai.auto_schedule_user_bots', 'ai.schedule_meeting_bot']);
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
