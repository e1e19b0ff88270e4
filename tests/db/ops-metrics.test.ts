import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserClaims } from '../../shared/auth/claims.ts';
import { createDatabase, type Database } from '../../shared/db/database.ts';
import { getAiMetrics, refreshAiMetricsRollup } from '../../shared/ops/metrics.ts';
import { metricsRanges, queryOperationMetrics } from '../../shared/ops/metrics-store.ts';
import { createTestDatabase, createUser, type TestDatabase } from '../support/db.ts';

let database: TestDatabase;
let db: Database;
let admin: pg.Client;
let alice: string;
let bob: string;

const claims = (sub: string): UserClaims => ({ role: 'authenticated', sub, aud: 'authenticated' });

interface LogRow {
  user: string | null;
  ago: string;
  operation?: string;
  provider?: string;
  status?: 'success' | 'error' | 'cached';
  latency?: number | null;
  tokensIn?: number;
  tokensOut?: number;
  cost?: number;
}

async function insertLogs(rows: LogRow[]) {
  for (const row of rows) {
    await admin.query(
      `insert into public.ai_processing_logs
         (user_id, operation, provider, status, latency_ms, tokens_in, tokens_out, cost_usd, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, now() - $9::interval)`,
      [
        row.user,
        row.operation ?? 'classify',
        row.provider ?? 'local',
        row.status ?? 'success',
        row.latency === undefined ? 100 : row.latency,
        row.tokensIn ?? 0,
        row.tokensOut ?? 0,
        row.cost ?? 0,
        row.ago,
      ],
    );
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase(database.url, { max: 4 });
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  alice = await createUser(database.url, randomUUID());
  bob = await createUser(database.url, randomUUID());
  const classify = (ago: string, latency: number, extra: Partial<LogRow> = {}): LogRow => ({
    user: alice,
    ago,
    latency,
    tokensIn: 10,
    tokensOut: 5,
    cost: 0.001,
    ...extra,
  });
  await insertLogs([
    // Three hours ago: whole hours the rollup holds once refreshed.
    ...[100, 200, 300, 400].map((ms) => classify('3 hours', ms)),
    // The last half hour: raw rows after the watermark (or the current hour).
    ...[500, 600, 700, 800].map((ms) => classify('20 minutes', ms)),
    classify('10 minutes', 900, { status: 'error', cost: 0, tokensOut: 0 }),
    classify('5 minutes', 1000, { status: 'cached', cost: 0, tokensIn: 0, tokensOut: 0 }),
    {
      user: alice,
      ago: '2 hours',
      operation: 'sentiment',
      provider: 'openai',
      status: 'error',
      latency: null,
    },
    { user: alice, ago: '2 hours', operation: 'sentiment', provider: 'openai', latency: 2500, cost: 0.5 },
    // Instant calls and a call with no latency in one hour: the latter is in no latency bucket.
    { user: alice, ago: '4 hours', operation: 'entities', latency: 0 },
    { user: alice, ago: '4 hours', operation: 'entities', latency: null },
    { user: alice, ago: '4 hours', operation: 'entities', latency: 0 },
    // Outside 24 hours, inside 7 days.
    ...[50, 60].map((ms) => classify('30 hours', ms)),
    // Another user's calls and a call nobody started: never in Alice's metrics.
    { user: bob, ago: '1 hour', latency: 5, cost: 9 },
    { user: null, ago: '1 hour', operation: 'monitor', latency: 1 },
  ]);
});

afterAll(async () => {
  await admin.end();
  await db.close();
  await database.drop();
});

describe('AI metrics over a known set of log rows', () => {
  it('counts calls, errors, tokens and cost exactly and puts percentiles within a bucket of the truth', async () => {
    const metrics = await getAiMetrics(db, claims(alice), '24h');
    expect(metrics.scope).toBe('user');
    const classify = metrics.operations.find((o) => o.operation === 'classify')!;
    expect(classify).toMatchObject({
      provider: 'local',
      calls: 10,
      errors: 1,
      cached: 1,
      errorRate: 0.1,
      tokensIn: 90,
      tokensOut: 40,
      costUsd: 0.008,
    });
    expect(classify.latencyMs.avg).toBe(550);
    // Exact: p50 = 550, p95 = 955, p99 = 991; buckets are 19% wide.
    expect(classify.latencyMs.p50!).toBeGreaterThan(550 / 1.19);
    expect(classify.latencyMs.p50!).toBeLessThan(550 * 1.19);
    expect(classify.latencyMs.p95!).toBeGreaterThan(955 / 1.19);
    expect(classify.latencyMs.p99!).toBeLessThan(1000 * 1.19);
    expect(classify.latencyMs.p50!).toBeLessThanOrEqual(classify.latencyMs.p95!);
    expect(classify.latencyMs.p95!).toBeLessThanOrEqual(classify.latencyMs.p99!);

    const sentiment = metrics.operations.find((o) => o.operation === 'sentiment')!;
    expect(sentiment).toMatchObject({
      provider: 'openai',
      calls: 2,
      errors: 1,
      errorRate: 0.5,
      costUsd: 0.5,
    });
    expect(sentiment.latencyMs.avg).toBe(2500);
    expect(metrics.totals).toMatchObject({ calls: 15, errors: 2, costUsd: 0.508 });
  });

  it('gives the same numbers from the rollup as from the raw rows', async () => {
    const before = await getAiMetrics(db, claims(alice), '7d');
    const refresh = await refreshAiMetricsRollup(db, { from: new Date(Date.now() - 8 * 86_400_000) });
    expect(refresh.groups).toBeGreaterThan(0);
    const after = await getAiMetrics(db, claims(alice), '7d');
    expect(after.operations).toEqual(before.operations);
    expect(after.totals).toEqual(before.totals);
    expect(after.totals.calls).toBe(17);
  });

  it('rolls the current hour up to the watermark, and counts calls after it once, from the raw rows', async () => {
    const refresh = await refreshAiMetricsRollup(db);
    // The watermark is the settle point (two minutes ago), not the last whole hour.
    const lag = Date.now() - refresh.rolledUpTo.getTime();
    expect(lag).toBeGreaterThan(110_000);
    expect(lag).toBeLessThan(180_000);
    const { rows } = await admin.query(
      `select (select coalesce(sum(calls), 0)::int from public.ai_metrics_rollup where user_id = $1) as rolled,
              (select count(*)::int from public.ai_processing_logs where user_id = $1 and created_at < $2) as logged`,
      [alice, refresh.rolledUpTo],
    );
    expect(rows[0].rolled).toBe(rows[0].logged);

    const before = await getAiMetrics(db, claims(alice), '1h');
    // A second or two old: the window ends at the database's clock read in milliseconds, so a row written in
    // the same millisecond as the read may fall just after it.
    await insertLogs([
      { user: alice, ago: '2 seconds' },
      { user: alice, ago: '1 second' },
    ]);
    try {
      const after = await getAiMetrics(db, claims(alice), '1h');
      expect(after.totals.calls).toBe(before.totals.calls + 2);
      await refreshAiMetricsRollup(db);
      expect((await getAiMetrics(db, claims(alice), '1h')).totals.calls).toBe(after.totals.calls);
    } finally {
      await admin.query(
        `delete from public.ai_processing_logs where user_id = $1 and created_at > now() - interval '1 minute'`,
        [alice],
      );
    }
  });

  it('keeps each window to its own calls', async () => {
    const lastHour = await getAiMetrics(db, claims(alice), '1h');
    expect(lastHour.operations.map((o) => [o.operation, o.calls])).toEqual([['classify', 6]]);
    const day = await getAiMetrics(db, claims(alice), '24h');
    expect(day.totals.calls).toBe(15);
  });

  it("shows a user only their own calls, and the service role everyone's", async () => {
    const bobs = await getAiMetrics(db, claims(bob), '24h');
    expect(bobs.totals).toMatchObject({ calls: 1, costUsd: 9 });
    const all = await getAiMetrics(db, { role: 'service_role' }, '24h');
    expect(all.scope).toBe('all');
    expect(all.totals.calls).toBe(17);
    expect(all.operations.map((o) => o.operation)).toContain('monitor');
  });

  it('keeps calls without a latency out of the latency histogram', async () => {
    const { rows } = await admin.query(
      `select latency_histogram, latency_count, calls from public.ai_metrics_rollup
       where user_id = $1 and operation = 'entities'`,
      [alice],
    );
    expect(rows).toEqual([{ latency_histogram: { '0': 2 }, latency_count: 2, calls: 3 }]);
    const metrics = await getAiMetrics(db, claims(alice), '24h');
    expect(metrics.operations.find((o) => o.operation === 'entities')!.latencyMs).toMatchObject({ avg: 0 });
  });

  it('refreshes idempotently: a second run leaves the same rollup', async () => {
    const snapshot = async () =>
      (
        await admin.query(
          `select user_id, bucket_start, operation, provider, calls, errors, cached, tokens_in, tokens_out,
                  cost_usd, latency_sum_ms, latency_count, latency_histogram
           from public.ai_metrics_rollup order by 1, 2, 3, 4`,
        )
      ).rows;
    const first = await snapshot();
    await refreshAiMetricsRollup(db);
    await refreshAiMetricsRollup(db, { from: new Date(Date.now() - 8 * 86_400_000) });
    expect(await snapshot()).toEqual(first);
  });

  it('reports queue health next to the calls', async () => {
    const metrics = await getAiMetrics(db, claims(alice), '1h');
    expect(metrics.queues.map((q) => q.queue)).toContain('ai.monitor_ai_processing');
    for (const q of metrics.queues) expect(q.depth).toBeGreaterThanOrEqual(0);
  });
});

describe('splitting a window between the rollup and the raw rows', () => {
  const at = (iso: string) => new Date(iso);

  it('reads whole rolled-up hours from the rollup and the edges from the logs', () => {
    expect(
      metricsRanges(at('2026-01-01T10:20:00Z'), at('2026-01-02T10:20:00Z'), at('2026-01-02T09:00:00Z')),
    ).toEqual({
      since: at('2026-01-01T10:20:00Z'),
      until: at('2026-01-02T10:20:00Z'),
      // 10:20 is in the first half of its hour: the whole hour from the rollup, less 10:00-10:20 from the logs.
      rollFrom: at('2026-01-01T10:00:00Z'),
      rollTo: at('2026-01-02T09:00:00Z'),
    });
    // In the second half, the logs of 10:40-11:00 are added instead.
    expect(
      metricsRanges(at('2026-01-01T10:40:00Z'), at('2026-01-02T10:40:00Z'), at('2026-01-02T09:00:00Z')),
    ).toMatchObject({ rollFrom: at('2026-01-01T11:00:00Z') });
    // On the hour, nothing of the first hour is read from the logs.
    expect(
      metricsRanges(at('2026-01-01T10:00:00Z'), at('2026-01-02T10:00:00Z'), at('2026-01-02T09:00:00Z')),
    ).toMatchObject({ rollFrom: at('2026-01-01T10:00:00Z') });
  });

  it('takes the rollup up to a watermark inside the current hour', () => {
    expect(
      metricsRanges(at('2026-01-01T10:20:00Z'), at('2026-01-01T11:20:00Z'), at('2026-01-01T11:18:00Z')),
    ).toMatchObject({ rollFrom: at('2026-01-01T10:00:00Z'), rollTo: at('2026-01-01T11:18:00Z') });
  });

  it('reads everything raw when the rollup has not reached the window', () => {
    const since = at('2026-01-01T10:20:00Z');
    const until = at('2026-01-01T11:20:00Z');
    expect(metricsRanges(since, until, null)).toMatchObject({ rollFrom: until, rollTo: until });
    expect(metricsRanges(since, until, at('2026-01-01T09:00:00Z'))).toMatchObject({
      rollFrom: until,
      rollTo: until,
    });
  });
});

describe("the window's first partial hour", () => {
  it("gives the raw rows' numbers whether its head is taken out of the rollup or its tail added", async () => {
    const hour = new Date(Math.floor((Date.now() - 5 * 3_600_000) / 3_600_000) * 3_600_000);
    const at = (minutes: number) => new Date(hour.getTime() + minutes * 60_000);
    const carol = await createUser(database.url, randomUUID());
    const rows: [number, string, number][] = [
      [0.2, 'success', 100],
      [10, 'error', 2000],
      [30, 'success', 300],
      [45, 'cached', 40],
      [50, 'success', 5000],
      [70, 'success', 700],
    ];
    for (const [minutes, status, latency] of rows) {
      await admin.query(
        `insert into public.ai_processing_logs (user_id, operation, provider, status, latency_ms, tokens_in, cost_usd, created_at)
         values ($1, 'edge', 'local', $2, $3, 7, 0.25, $4)`,
        [carol, status, latency, at(minutes)],
      );
    }
    try {
      const refresh = await refreshAiMetricsRollup(db, { from: new Date(Date.now() - 8 * 86_400_000) });
      const until = new Date();
      for (const startMinute of [0, 5, 20, 29, 31, 40, 55]) {
        const since = at(startMinute);
        const split = metricsRanges(since, until, refresh.rolledUpTo);
        const raw = { since, until, rollFrom: until, rollTo: until };
        const [fromRollup, fromLogs] = await db.asUser(claims(carol), async (tx) => [
          await queryOperationMetrics(tx, split),
          await queryOperationMetrics(tx, raw),
        ]);
        expect(fromRollup, `window from minute ${startMinute}`).toEqual(fromLogs);
        expect(fromLogs[0]!.calls).toBe(rows.filter(([minutes]) => minutes >= startMinute).length);
      }
    } finally {
      await admin.query('delete from public.ai_processing_logs where user_id = $1', [carol]);
      await refreshAiMetricsRollup(db, { from: new Date(Date.now() - 8 * 86_400_000) });
    }
  });
});

describe('the first rollup refresh of a database that already has logs', () => {
  it('rolls up every log, not just the last two hours', async () => {
    const fresh = await createTestDatabase();
    const freshDb = createDatabase(fresh.url, { max: 2 });
    try {
      const user = await createUser(fresh.url, randomUUID());
      const client = new pg.Client({ connectionString: fresh.url });
      await client.connect();
      await client.query(
        `insert into public.ai_processing_logs (user_id, operation, provider, status, created_at)
         select $1, 'classify', 'local', 'success', now() - make_interval(hours => h) from generate_series(3, 50) h`,
        [user],
      );
      await refreshAiMetricsRollup(freshDb);
      const { rows } = await client.query(
        'select coalesce(sum(calls), 0)::int as n from public.ai_metrics_rollup where user_id = $1',
        [user],
      );
      await client.end();
      expect(rows[0].n).toBe(48);
      expect((await getAiMetrics(freshDb, claims(user), '7d')).totals.calls).toBe(48);
    } finally {
      await freshDb.close();
      await fresh.drop();
    }
  });
});
