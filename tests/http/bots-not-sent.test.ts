import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_JWT_SECRET } from '../../local/keys.ts';
import { createBotsApp } from '../../shared/bots/app.ts';
import { createServices } from '../../shared/runtime.ts';
import { botsOf, insertMeeting, logsOf, ownerClient, saveSettings } from '../support/bots-fixtures.ts';
import { createUser } from '../support/db.ts';
import { type FakeAttendee, startFakeAttendee } from '../support/fake-attendee.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let fake: FakeAttendee;
let stack: TestStack;
let db: pg.Client;

beforeAll(async () => {
  fake = await startFakeAttendee();
  stack = await startTestStack();
  db = await ownerClient(stack.database.url);
});
afterAll(async () => {
  await db.end();
  await stack.stop();
  await fake.stop();
});

describe('without ATTENDEE_API_KEY', () => {
  it('decides and logs every meeting, recording the bots as not sent with the reason', async () => {
    const userId = await createUser(stack.database.url);
    await saveSettings(db, userId, { auto_schedule: true });
    const meetingId = await insertMeeting(db, userId);
    const skippedId = await insertMeeting(db, userId, { meetingUrl: null });
    const token = await stack.userToken(userId);
    const run = () =>
      stack
        .client(token)
        .functions.invoke('bots/auto-schedule', { method: 'POST' })
        .then(({ data, error }) => {
          expect(error).toBeNull();
          return data;
        });

    const first = await run();
    expect(first.scheduled).toEqual([
      expect.objectContaining({
        meetingId,
        sent: false,
        attendeeBotId: null,
        notSentReason: expect.stringContaining('ATTENDEE_API_KEY'),
      }),
    ]);
    expect(first.skipped).toEqual([
      expect.objectContaining({ meetingId: skippedId, reason: 'unsupported_url' }),
    ]);
    const [row] = await botsOf(db, meetingId);
    expect(row).toMatchObject({ state: 'not_sent', sent: false, attendee_bot_id: null });
    expect(row?.bot_config).toMatchObject({ source: 'ai', botName: 'Meeting Notetaker' });
    expect((await logsOf(db, userId)).map((log) => log.decision).sort()).toEqual(['not_sent', 'skipped']);

    // Still no key: the recorded decision stands, nothing is duplicated.
    const second = await run();
    expect(second.skipped.map((entry: { reason: string }) => entry.reason).sort()).toEqual([
      'already_scheduled',
      'unsupported_url',
    ]);
    expect(await botsOf(db, meetingId)).toHaveLength(1);

    // Once a key is configured, the bot decided earlier is sent (the same row).
    const withKey = createServices({
      DATABASE_URL: stack.database.url,
      JWT_SECRET: LOCAL_JWT_SECRET,
      LOG_LEVEL: 'error',
      ATTENDEE_API_KEY: fake.apiKey,
      ATTENDEE_BASE_URL: fake.baseUrl,
      // The same deployment as the test stack: its per-user request limit too (see ai-shared-limits.test.ts).
      USER_RATE_LIMIT_PER_MINUTE: '1000000',
    });
    try {
      const response = await createBotsApp(withKey).request('/bots/auto-schedule', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
      });
      const third = await response.json();
      expect(third.scheduled).toEqual([expect.objectContaining({ meetingId, botId: row!.id, sent: true })]);
      expect(await botsOf(db, meetingId)).toEqual([
        expect.objectContaining({ id: row!.id, state: 'scheduled', sent: true, not_sent_reason: null }),
      ]);
      expect(fake.bots.size).toBe(1);
    } finally {
      await withKey.db.close();
    }
  });
});
