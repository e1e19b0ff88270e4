import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMeeting, minutesFromNow, ZOOM } from '../support/bots-fixtures.ts';
import { createUser } from '../support/db.ts';
import { type FakeAttendee, startFakeAttendee } from '../support/fake-attendee.ts';
import { ownedTables, rowsOwned, seedEveryTable } from '../support/ops-fixtures.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let fake: FakeAttendee;
let stack: TestStack;
let db: pg.Client;
let alice: string;
let bob: string;

beforeAll(async () => {
  fake = await startFakeAttendee();
  stack = await startTestStack({ ATTENDEE_API_KEY: fake.apiKey, ATTENDEE_BASE_URL: fake.baseUrl });
  db = new pg.Client({ connectionString: stack.database.url });
  await db.connect();
  alice = await createUser(stack.database.url);
  bob = await createUser(stack.database.url);
  await seedEveryTable(db, alice);
  await seedEveryTable(db, bob);
  // A paid call of each in flight (private ledger, not among the owned tables): one sent, one waiting.
  await db.query(
    `insert into ai_private.ai_calls_in_flight
       (user_id, request_id, operation, provider, model, tokens_in, tokens_out, cost_usd, sent_at)
     values ($1, 'req-a', 'classify', 'openai', 'gpt-4.1-mini', 120, 30, 0.0012, now()),
            ($2, 'req-b', 'analyze', 'openai', 'gpt-4.1-mini', 400, 200, 0.004, null)`,
    [alice, bob],
  );
});

async function callsInFlight(userId: string): Promise<number> {
  const { rows } = await db.query(
    'select count(*)::int as n from ai_private.ai_calls_in_flight where user_id = $1',
    [userId],
  );
  return rows[0].n;
}
afterAll(async () => {
  await db.end();
  await stack.stop();
  await fake.stop();
});

async function invoke<T>(userId: string, path: string, method: 'GET' | 'DELETE' | 'POST', body?: unknown) {
  const { data, error } = await stack
    .client(await stack.userToken(userId))
    .functions.invoke<T>(path, { method, ...(body ? { body } : {}) });
  if (error) throw error;
  return data as T;
}

interface Export {
  userId: string;
  tables: Record<string, { user_id: string }[]>;
  callsInFlight: Record<string, unknown>[];
}

describe('GET /ai/me/export', () => {
  it('returns every row the caller owns in every table, and no one else’s', async () => {
    const tables = await ownedTables(db);
    const owned = await rowsOwned(db, alice);
    for (const table of tables) expect(owned[table], `no fixture row in ${table}`).toBeGreaterThan(0);

    const exported = await invoke<Export>(alice, 'ai/me/export', 'GET');
    expect(exported.userId).toBe(alice);
    expect(Object.keys(exported.tables).sort()).toEqual(tables);
    for (const table of tables) {
      expect(exported.tables[table], table).toHaveLength(owned[table]!);
      for (const row of exported.tables[table]!) expect(row.user_id).toBe(alice);
    }
    expect(exported.callsInFlight).toEqual([
      {
        requestId: 'req-a',
        operation: 'classify',
        provider: 'openai',
        model: 'gpt-4.1-mini',
        tokensIn: 120,
        tokensOut: 30,
        costUsd: 0.0012,
        createdAt: expect.any(String),
        sentAt: expect.any(String),
      },
    ]);
  });

  it('writes the export to the audit trail', async () => {
    const { rows } = await db.query(
      `select action, row_counts from app_private.data_rights_audit where subject_user_id = $1 and action = 'export'`,
      [alice],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0].row_counts.documents).toBe(1);
    expect(rows[0].row_counts.ai_calls_in_flight).toBe(1);
  });
});

describe('DELETE /ai/me/data', () => {
  it('cancels scheduled bots and unfinished executions, deletes every owned row and leaves others alone', async () => {
    const meetingId = await insertMeeting(db, alice, { start: minutesFromNow(120), meetingUrl: ZOOM });
    const scheduled = await invoke<{ bot: { attendeeBotId: string } }>(
      alice,
      'bots/schedule-meeting',
      'POST',
      {
        meetingId,
      },
    );
    const attendeeBotId = scheduled.bot.attendeeBotId;
    expect(fake.bots.get(attendeeBotId)?.state).toBe('scheduled');
    const bobBefore = await rowsOwned(db, bob);

    const result = await invoke<{
      deleted: Record<string, number>;
      callsInFlightDeleted: number;
      executionsCancelled: number;
      bots: { cancelled: number; notCancelled: unknown[] };
    }>(alice, 'ai/me/data', 'DELETE');

    expect(result.bots).toEqual({ cancelled: 1, notCancelled: [] });
    expect(fake.requests.some((r) => r.method === 'DELETE' && r.path.includes(attendeeBotId))).toBe(true);
    expect(result.executionsCancelled).toBe(1);
    expect(result.deleted.documents).toBe(1);
    expect(result.callsInFlightDeleted).toBe(1);
    expect(await callsInFlight(alice)).toBe(0);
    expect(await callsInFlight(bob)).toBe(1);
    const after = await rowsOwned(db, alice);
    for (const [table, n] of Object.entries(after)) expect(n, `${table} still holds the user's rows`).toBe(0);
    expect(await rowsOwned(db, bob)).toEqual(bobBefore);
    const { rows } = await db.query(
      `select row_counts, details from app_private.data_rights_audit where subject_user_id = $1 and action = 'delete'`,
      [alice],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].row_counts.ai_processing_logs).toBeGreaterThan(0);
    expect(rows[0].details.callsInFlight).toBe(1);
  });

  it('deletes nothing more when called again, and still audits the request', async () => {
    const again = await invoke<{ deleted: Record<string, number> }>(alice, 'ai/me/data', 'DELETE');
    expect(Object.values(again.deleted).every((n) => n === 0)).toBe(true);
    const { rows } = await db.query(
      `select count(*)::int as n from app_private.data_rights_audit where subject_user_id = $1 and action = 'delete'`,
      [alice],
    );
    expect(rows[0].n).toBe(2);
  });

  it('answers 401 without a user token and 403 for the service role', async () => {
    const anon = await fetch(`${stack.url}/functions/v1/ai/me/data`, { method: 'DELETE' });
    expect(anon.status).toBe(401);
    const service = await fetch(`${stack.url}/functions/v1/ai/me/data`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${stack.serviceKey}` },
    });
    expect(service.status).toBe(403);
  });
});
