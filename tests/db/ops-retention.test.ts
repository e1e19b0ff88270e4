import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../shared/db/database.ts';
import { refreshAiMetricsRollup } from '../../shared/ops/metrics.ts';
import { pruneAiLogs } from '../../shared/ops/retention.ts';
import { createTestDatabase, createUser, type TestDatabase } from '../support/db.ts';

let database: TestDatabase;
let db: Database;
let admin: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase(database.url, { max: 4 });
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await db.close();
  await database.drop();
});

const count = async (sql: string) => Number((await admin.query(sql)).rows[0].n);

describe('AI log retention', () => {
  it('deletes logs, rollup hours and alerts older than the retention in batches and keeps the rest', async () => {
    const user = await createUser(database.url, randomUUID());
    await admin.query(
      `insert into public.ai_processing_logs (user_id, operation, provider, status, created_at)
       select $1, 'classify', 'local', 'success', now() - make_interval(days => 40) + make_interval(secs => i)
       from generate_series(1, 2500) i`,
      [user],
    );
    await admin.query(
      `insert into public.ai_processing_logs (user_id, operation, provider, status, created_at)
       select $1, 'classify', 'local', 'success', now() - make_interval(days => 2) from generate_series(1, 7)`,
      [user],
    );
    await admin.query(
      `insert into public.ai_alerts (user_id, kind, subject, value, threshold, period_start, created_at)
       values ($1, 'daily_cost', 'all', 9, 4, now() - interval '40 days', now() - interval '40 days'),
              ($1, 'daily_cost', 'all', 9, 4, date_trunc('day', now()), now())`,
      [user],
    );
    await refreshAiMetricsRollup(db, { from: new Date(Date.now() - 41 * 86_400_000) });
    expect(
      await count(
        `select count(*) as n from public.ai_metrics_rollup where bucket_start < now() - interval '30 days'`,
      ),
    ).toBeGreaterThan(0);

    const result = await pruneAiLogs(db, { retentionDays: 30, batchSize: 1000 });
    expect(result).toMatchObject({ logs: 2500, alerts: 1, complete: true });
    expect(result.rollup).toBeGreaterThan(0);
    expect(await count('select count(*) as n from public.ai_processing_logs')).toBe(7);
    expect(
      await count(
        `select count(*) as n from public.ai_metrics_rollup where bucket_start < now() - interval '30 days'`,
      ),
    ).toBe(0);
    expect(await count('select count(*) as n from public.ai_alerts')).toBe(1);

    expect(await pruneAiLogs(db, { retentionDays: 30, batchSize: 1000 })).toMatchObject({
      logs: 0,
      rollup: 0,
      alerts: 0,
    });
  });

  it('stops at its time budget and reports that it is not complete', async () => {
    await admin.query(
      `insert into public.ai_processing_logs (operation, provider, status, created_at)
       select 'classify', 'local', 'success', now() - interval '90 days' from generate_series(1, 300)`,
    );
    const result = await pruneAiLogs(db, { retentionDays: 30, batchSize: 100, budgetMs: 0 });
    expect(result).toMatchObject({ logs: 0, complete: false });
    expect((await pruneAiLogs(db, { retentionDays: 30, batchSize: 100 })).logs).toBe(300);
  });

  it('deletes expired cached AI results in batches and keeps the live ones with their owners', async () => {
    const user = await createUser(database.url, randomUUID());
    // One live result and 250 expired ones, every one served to the user.
    await admin.query(
      `insert into ai_private.ai_result_cache (cache_key, operation, provider, model, result, expires_at)
       select encode(sha256(($1 || i)::bytea), 'hex'), 'classify', 'openai', 'm', '{}',
              case when i = 0 then now() + interval '1 day' else now() - make_interval(mins => i) end
       from generate_series(0, 250) i`,
      [user],
    );
    await admin.query(
      `insert into ai_private.ai_result_cache_owners (cache_key, user_id)
       select cache_key, $1 from ai_private.ai_result_cache`,
      [user],
    );

    const result = await pruneAiLogs(db, { retentionDays: 30, batchSize: 100 });
    expect(result.cache).toBe(250);
    expect(await count('select count(*) as n from ai_private.ai_result_cache')).toBe(1);
    expect(await count('select count(*) as n from ai_private.ai_result_cache where expires_at > now()')).toBe(
      1,
    );
    expect(await count('select count(*) as n from ai_private.ai_result_cache_owners')).toBe(1);
    expect((await pruneAiLogs(db, { retentionDays: 30, batchSize: 100 })).cache).toBe(0);
  });

  it('deletes a cached result when a user it was served to is deleted', async () => {
    const [kept, shared] = [randomUUID(), randomUUID()];
    const alice = await createUser(database.url, randomUUID());
    const bob = await createUser(database.url, randomUUID());
    await admin.query('delete from ai_private.ai_result_cache');
    await admin.query(
      `insert into ai_private.ai_result_cache (cache_key, operation, provider, model, result, expires_at)
       select encode(sha256(k::bytea), 'hex'), 'classify', 'openai', 'm', '{}', now() + interval '1 day'
       from unnest($1::text[]) k`,
      [[kept, shared]],
    );
    await admin.query(
      `insert into ai_private.ai_result_cache_owners (cache_key, user_id)
       values (encode(sha256($1::bytea), 'hex'), $3), (encode(sha256($2::bytea), 'hex'), $3),
              (encode(sha256($2::bytea), 'hex'), $4)`,
      [kept, shared, bob, alice],
    );
    await admin.query('delete from auth.users where id = $1', [alice]);
    const left = await admin.query<{ cache_key: string }>('select cache_key from ai_private.ai_result_cache');
    const expected = await admin.query<{ k: string }>(`select encode(sha256($1::bytea), 'hex') as k`, [kept]);
    expect(left.rows.map((row) => row.cache_key)).toEqual([expected.rows[0]!.k]);
    expect(await count('select count(*) as n from ai_private.ai_result_cache_owners')).toBe(1);
  });
});
