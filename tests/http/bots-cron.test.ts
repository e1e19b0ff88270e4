// Supabase Cron's path end to end: the schedule's SQL enqueues one job per user, a drain runs the bot handlers.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botsOf, insertMeeting, logsOf, ownerClient, saveSettings, TEAMS } from '../support/bots-fixtures.ts';
import { createUser } from '../support/db.ts';
import { type FakeAttendee, startFakeAttendee } from '../support/fake-attendee.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let fake: FakeAttendee;
let stack: TestStack;
let db: pg.Client;

beforeAll(async () => {
  fake = await startFakeAttendee();
  stack = await startTestStack({ ATTENDEE_API_KEY: fake.apiKey, ATTENDEE_BASE_URL: fake.baseUrl });
  db = await ownerClient(stack.database.url);
});
afterAll(async () => {
  await db.end();
  await stack.services.jobs.close();
  await stack.stop();
  await fake.stop();
});

describe('auto-scheduling from Supabase Cron', () => {
  it('runs one job per user who enabled it, each acting for its user only, one failure holding back no one', async () => {
    const failing = await createUser(stack.database.url);
    const fine = await createUser(stack.database.url);
    const off = await createUser(stack.database.url);
    await saveSettings(db, failing, { auto_schedule: true });
    await saveSettings(db, fine, { auto_schedule: true });
    await saveSettings(db, off, { auto_schedule: false });
    const refused = await insertMeeting(db, failing, { meetingUrl: TEAMS });
    const accepted = await insertMeeting(db, fine);
    const ignored = await insertMeeting(db, off);
    fake.inject({
      method: 'POST',
      path: /^\/bots$/,
      status: 400,
      body: { meeting_url: ['Invalid meeting URL'] },
      when: (body) => (body as { meeting_url?: string }).meeting_url === TEAMS,
    });

    const { rows } = await db.query<{ n: number }>('select app_private.enqueue_auto_schedule_jobs() as n');
    expect(rows[0]!.n).toBe(2);
    const response = await fetch(`${stack.url}/functions/v1/jobs/drain`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${stack.serviceKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ queues: ['ai.auto_schedule_user_bots'], budgetMs: 20_000 }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ completed: 2, failed: 0 });

    expect(await botsOf(db, accepted)).toEqual([expect.objectContaining({ state: 'scheduled', sent: true })]);
    expect(await botsOf(db, refused)).toEqual([expect.objectContaining({ state: 'failed' })]);
    expect(await botsOf(db, ignored)).toEqual([]);
    expect((await logsOf(db, failing)).map((log) => log.decision)).toEqual(['failed']);
    expect((await logsOf(db, fine)).map((log) => log.decision)).toEqual(['scheduled']);
    expect(await logsOf(db, off)).toEqual([]);
  });
});
