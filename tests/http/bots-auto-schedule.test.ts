import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  botsOf,
  insertMeeting,
  logsOf,
  minutesFromNow,
  ownerClient,
  saveSettings,
  TEAMS,
} from '../support/bots-fixtures.ts';
import { createUser } from '../support/db.ts';
import { type FakeAttendee, startFakeAttendee } from '../support/fake-attendee.ts';
import { callFunction, statusAndBody } from '../support/harness.ts';
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
  await stack.stop();
  await fake.stop();
});
beforeEach(() => fake.reset());

async function call(path: string, userId: string, body?: unknown) {
  return callFunction(stack, `bots/${path}`, {
    method: 'POST',
    token: await stack.userToken(userId),
    json: body,
  }).then(statusAndBody);
}

async function autoScheduleUser(settings: Record<string, unknown> = {}) {
  const userId = await createUser(stack.database.url);
  await saveSettings(db, userId, { auto_schedule: true, exclusion_keywords: ['1:1'], ...settings });
  return userId;
}

describe('POST /bots/auto-schedule', () => {
  it('decides every meeting in the window once: scheduled, skipped with each reason, or failed', async () => {
    const userId = await autoScheduleUser();
    const m = {
      plain: await insertMeeting(db, userId, { title: 'Pipeline review' }),
      forced: await insertMeeting(db, userId, {
        botOverride: 'always',
        attendees: [],
        title: 'Solo 1:1 prep',
      }),
      keyword: await insertMeeting(db, userId, { title: 'Ana / Bo 1:1' }),
      never: await insertMeeting(db, userId, { botOverride: 'never' }),
      hasBot: await insertMeeting(db, userId, { start: minutesFromNow(200) }),
      soon: await insertMeeting(db, userId, { start: minutesFromNow(1) }),
      running: await insertMeeting(db, userId, { start: minutesFromNow(-10) }),
      webex: await insertMeeting(db, userId, { meetingUrl: 'https://acme.webex.com/meet/ana' }),
      noLink: await insertMeeting(db, userId, { meetingUrl: null }),
      alone: await insertMeeting(db, userId, { attendees: [{ email: 'ana@acme.test' }] }),
      cancelled: await insertMeeting(db, userId, { status: 'cancelled' }),
      allDay: await insertMeeting(db, userId, { durationMinutes: 24 * 60 }),
      refused: await insertMeeting(db, userId, { meetingUrl: TEAMS, title: 'Refused by Attendee' }),
    };
    const outside = await insertMeeting(db, userId, { start: minutesFromNow(48 * 60) });
    const over = await insertMeeting(db, userId, { start: minutesFromNow(-120) });
    expect((await call('schedule-meeting', userId, { meetingId: m.hasBot })).status).toBe(201);
    fake.inject({
      method: 'POST',
      path: /^\/bots$/,
      status: 400,
      body: { bot_name: ['Bot name rejected for this meeting'] },
      when: (body) => (body as { meeting_url?: string }).meeting_url === TEAMS,
    });

    const { status, body } = await call('auto-schedule', userId);
    expect(status).toBe(200);
    const skipped = Object.fromEntries(
      body.skipped.map((entry: { meetingId: string; reason: string }) => [entry.meetingId, entry.reason]),
    );
    expect(skipped).toEqual({
      [m.keyword]: 'excluded',
      [m.never]: 'excluded',
      [m.hasBot]: 'already_scheduled',
      [m.soon]: 'too_soon',
      [m.running]: 'too_soon',
      [m.webex]: 'unsupported_url',
      [m.noLink]: 'unsupported_url',
      [m.alone]: 'filtered_by_settings',
      [m.cancelled]: 'cancelled',
      [m.allDay]: 'all_day',
    });
    expect(body.scheduled.map((entry: { meetingId: string }) => entry.meetingId).sort()).toEqual(
      [m.plain, m.forced].sort(),
    );
    expect(body.failed).toEqual([
      { meetingId: m.refused, error: 'bot_name: Bot name rejected for this meeting' },
    ]);
    expect(body.counts).toEqual({ scheduled: 2, skipped: 10, failed: 1, total: 13 });
    const decided = [...body.scheduled, ...body.skipped, ...body.failed].map((entry) => entry.meetingId);
    expect(decided).not.toContain(outside);
    expect(decided).not.toContain(over);

    const logs = (await logsOf(db, userId)).filter(
      (log) => log.decision !== 'scheduled' || log.meeting_id !== m.hasBot,
    );
    expect(logs).toHaveLength(13);
    expect(logs.find((log) => log.meeting_id === m.refused)).toMatchObject({
      decision: 'failed',
      reason: 'rejected',
    });
    expect(logs.find((log) => log.meeting_id === m.alone)).toMatchObject({
      decision: 'skipped',
      reason: 'filtered_by_settings',
      details: { detail: '1 attendee(s), fewer than the minimum of 2' },
    });
    expect(await botsOf(db, m.refused)).toEqual([expect.objectContaining({ state: 'failed' })]);
  });

  it('never creates a second bot when it runs again', async () => {
    const userId = await autoScheduleUser();
    const meetings = [
      await insertMeeting(db, userId),
      await insertMeeting(db, userId, { start: minutesFromNow(300) }),
    ];
    const first = await call('auto-schedule', userId);
    expect(first.body.counts.scheduled).toBe(2);
    const second = await call('auto-schedule', userId);
    expect(second.body.counts).toMatchObject({ scheduled: 0, skipped: 2 });
    expect(second.body.skipped.map((entry: { reason: string }) => entry.reason)).toEqual([
      'already_scheduled',
      'already_scheduled',
    ]);
    expect(fake.createRequests()).toHaveLength(2);
    for (const meetingId of meetings) expect(await botsOf(db, meetingId)).toHaveLength(1);
  });

  it('never creates a second bot when several runs race', async () => {
    const userId = await autoScheduleUser();
    const meetings: string[] = [];
    for (let i = 0; i < 6; i++)
      meetings.push(await insertMeeting(db, userId, { start: minutesFromNow(60 + i * 30) }));
    const runs = await Promise.all(Array.from({ length: 4 }, () => call('auto-schedule', userId)));
    expect(runs.map((run) => run.status)).toEqual([200, 200, 200, 200]);
    const scheduled = runs.flatMap((run) =>
      run.body.scheduled.map((entry: { meetingId: string }) => entry.meetingId),
    );
    expect(scheduled.sort()).toEqual([...meetings].sort());
    expect(fake.createRequests()).toHaveLength(6);
    expect(new Set([...fake.bots.values()].map((bot) => bot.deduplication_key)).size).toBe(6);
    for (const meetingId of meetings) expect(await botsOf(db, meetingId)).toHaveLength(1);
  });

  it('keeps to the look-ahead window and the record mode of the settings', async () => {
    const userId = await autoScheduleUser({ lookahead_hours: 2, record_mode: 'external_only' });
    await db.query(`update auth.users set email = 'me@acme.test' where id = $1`, [userId]);
    const internal = await insertMeeting(db, userId, {
      attendees: [{ email: 'me@acme.test' }, { email: 'ana@acme.test' }],
    });
    const external = await insertMeeting(db, userId, {
      attendees: [{ email: 'me@acme.test' }, { email: 'buyer@client.test' }],
    });
    const later = await insertMeeting(db, userId, { start: minutesFromNow(180) });
    const { body } = await call('auto-schedule', userId);
    expect(body.scheduled.map((entry: { meetingId: string }) => entry.meetingId)).toEqual([external]);
    expect(body.skipped).toEqual([
      {
        meetingId: internal,
        reason: 'filtered_by_settings',
        detail: expect.stringContaining('external_only'),
      },
    ]);
    expect(JSON.stringify(body)).not.toContain(later);
  });

  it('skips everything but always-record meetings when auto-scheduling is off', async () => {
    const userId = await createUser(stack.database.url);
    const normal = await insertMeeting(db, userId);
    const always = await insertMeeting(db, userId, { botOverride: 'always' });
    const { body } = await call('auto-schedule', userId);
    expect(body.scheduled.map((entry: { meetingId: string }) => entry.meetingId)).toEqual([always]);
    expect(body.skipped).toEqual([
      { meetingId: normal, reason: 'filtered_by_settings', detail: 'auto-scheduling is off' },
    ]);
  });
});
