import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { botsOf, insertMeeting, ownerClient } from '../support/bots-fixtures.ts';
import { createUser } from '../support/db.ts';
import { attendeeSignature, type FakeAttendee, startFakeAttendee } from '../support/fake-attendee.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let fake: FakeAttendee;
let stack: TestStack;
let db: pg.Client;
let userId: string;
let webhookUrl: string;

beforeAll(async () => {
  fake = await startFakeAttendee();
  stack = await startTestStack({
    ATTENDEE_API_KEY: fake.apiKey,
    ATTENDEE_BASE_URL: fake.baseUrl,
    ATTENDEE_WEBHOOK_SECRET: fake.webhookSecret,
  });
  db = await ownerClient(stack.database.url);
  userId = await createUser(stack.database.url);
  webhookUrl = `${stack.url}/functions/v1/bots/webhooks/attendee`;
});
afterAll(async () => {
  await db.end();
  await stack.stop();
  await fake.stop();
});
beforeEach(() => fake.reset());

async function scheduledBot() {
  const meetingId = await insertMeeting(db, userId);
  const response = await fetch(`${stack.url}/functions/v1/bots/schedule-meeting`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await stack.userToken(userId)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ meetingId }),
  });
  const { bot } = await response.json();
  return { meetingId, attendeeBotId: bot.attendeeBotId as string };
}

// Attendee serializes with Python's json.dumps (", " and ": " separators): what is signed is the parsed body.
const pythonStyle = (body: unknown) => JSON.stringify(body).replaceAll('","', '", "').replaceAll('":', '": ');

function deliver(body: unknown, signature: string | undefined, raw = pythonStyle(body)) {
  return fetch(webhookUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(signature ? { 'X-Webhook-Signature': signature } : {}),
    },
    body: raw,
  });
}

describe('POST /bots/webhooks/attendee', () => {
  it('accepts a validly signed state change without a bearer token and records the new state', async () => {
    const { meetingId, attendeeBotId } = await scheduledBot();
    const { body, signature } = fake.stateChangeWebhook(attendeeBotId, 'staged');
    const response = await deliver(body, signature);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'applied' });
    expect((await botsOf(db, meetingId))[0]?.state).toBe('staged');
  });

  it('rejects a tampered body with 401 and changes nothing', async () => {
    const { meetingId, attendeeBotId } = await scheduledBot();
    const { body, signature } = fake.stateChangeWebhook(attendeeBotId, 'joined_recording');
    const tampered = { ...body, data: { ...(body.data as object), new_state: 'ended' } };
    const response = await deliver(tampered, signature);
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('unauthorized');
    expect((await botsOf(db, meetingId))[0]?.state).toBe('scheduled');
  });

  it('rejects a body signed with another secret, or not signed at all', async () => {
    const { attendeeBotId } = await scheduledBot();
    const { body } = fake.stateChangeWebhook(attendeeBotId, 'staged');
    const forged = attendeeSignature(
      Buffer.from('not-the-project-secret-at-all!!!').toString('base64'),
      body,
    );
    expect((await deliver(body, forged)).status).toBe(401);
    expect((await deliver(body, undefined)).status).toBe(401);
  });

  it('acknowledges a replayed idempotency key without applying it again', async () => {
    const { meetingId, attendeeBotId } = await scheduledBot();
    const first = fake.stateChangeWebhook(attendeeBotId, 'joined_recording', {
      idempotencyKey: 'delivery-1',
    });
    expect(await (await deliver(first.body, first.signature)).json()).toMatchObject({ status: 'applied' });
    await db.query(`update public.meeting_bots set state = 'ended' where meeting_id = $1`, [meetingId]);
    const replay = await deliver(first.body, first.signature);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ status: 'duplicate' });
    expect((await botsOf(db, meetingId))[0]?.state).toBe('ended');
    const { rows } = await db.query(
      `select count(*)::int as n from public.attendee_webhook_events where idempotency_key = 'delivery-1'`,
    );
    expect(rows[0].n).toBe(1);
  });

  it('ignores a late delivery of an older state', async () => {
    const { meetingId, attendeeBotId } = await scheduledBot();
    const now = Date.now();
    const newer = fake.stateChangeWebhook(attendeeBotId, 'joined_recording', {
      createdAt: new Date(now).toISOString(),
    });
    const older = fake.stateChangeWebhook(attendeeBotId, 'joining', {
      createdAt: new Date(now - 60_000).toISOString(),
    });
    await deliver(newer.body, newer.signature);
    expect(await (await deliver(older.body, older.signature)).json()).toEqual({ status: 'recorded' });
    expect((await botsOf(db, meetingId))[0]?.state).toBe('joined_recording');
  });

  it('never moves a bot backwards on the same timestamp, yet moves it forward on any', async () => {
    const { meetingId, attendeeBotId } = await scheduledBot();
    const at = new Date(Date.now() - 5_000).toISOString();
    const send = async (state: string, createdAt: string) => {
      const event = fake.stateChangeWebhook(attendeeBotId, state, { createdAt });
      const response = await deliver(event.body, event.signature);
      return { outcome: (await response.json()).status, state: (await botsOf(db, meetingId))[0]?.state };
    };
    expect(await send('joined_recording', at)).toEqual({ outcome: 'applied', state: 'joined_recording' });
    // Same timestamp, earlier phase: ignored, in either order of arrival.
    expect(await send('joining', at)).toEqual({ outcome: 'recorded', state: 'joined_recording' });
    // Same timestamp within the phase: not newer, ignored.
    expect(await send('joined_recording_paused', at)).toEqual({
      outcome: 'recorded',
      state: 'joined_recording',
    });
    // Same timestamp, later phase; then an older timestamp, later still: both move it forward.
    expect(await send('leaving', at)).toEqual({ outcome: 'applied', state: 'leaving' });
    const older = new Date(Date.parse(at) - 60_000).toISOString();
    expect(await send('post_processing', older)).toEqual({ outcome: 'applied', state: 'post_processing' });
    expect(await send('ended', older)).toEqual({ outcome: 'applied', state: 'ended' });
    expect(await send('joined_recording', new Date().toISOString())).toEqual({
      outcome: 'recorded',
      state: 'ended',
    });
  });

  it('is not frozen by an event stamped in the future', async () => {
    const { meetingId, attendeeBotId } = await scheduledBot();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const skewed = fake.stateChangeWebhook(attendeeBotId, 'joined_recording', { createdAt: tomorrow });
    await deliver(skewed.body, skewed.signature);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const paused = fake.stateChangeWebhook(attendeeBotId, 'joined_recording_paused', {
      createdAt: new Date().toISOString(),
    });
    expect(await (await deliver(paused.body, paused.signature)).json()).toMatchObject({ status: 'applied' });
    const [bot] = await botsOf(db, meetingId);
    expect(bot?.state).toBe('joined_recording_paused');
  });

  it('verifies the signature over the parsed body, keeping non-ASCII text as is', async () => {
    const body = {
      idempotency_key: 'unicode-1',
      bot_id: 'bot_unknownXXXXXXXX',
      bot_metadata: { note: 'Réunion ☕ 会议' },
      trigger: 'transcript.update',
      data: { speaker: 'Zoë', text: 'naïve café' },
    };
    const response = await deliver(body, attendeeSignature(fake.webhookSecret, body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'recorded' });
  });

  it('answers 400 for a body that is not JSON and 503 when no secret is configured', async () => {
    expect((await deliver({}, 'x', '{not json')).status).toBe(400);
    const unconfigured = await startTestStack();
    try {
      const response = await fetch(`${unconfigured.url}/functions/v1/bots/webhooks/attendee`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Webhook-Signature': 'x' },
        body: '{}',
      });
      expect(response.status).toBe(503);
      expect((await response.json()).error.code).toBe('webhook_not_configured');
    } finally {
      await unconfigured.stop();
    }
  });

  it('still requires a bearer token on every other bots route', async () => {
    const response = await fetch(`${stack.url}/functions/v1/bots/settings`);
    expect(response.status).toBe(401);
    const trailing = await fetch(`${webhookUrl}/`, { method: 'POST', body: '{}' });
    expect(trailing.status).toBe(401);
  });
});
