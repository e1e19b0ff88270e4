import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshAiMetricsRollup } from '../../shared/ops/metrics.ts';
import { createUser } from '../support/db.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let db: pg.Client;
let alice: string;
let bob: string;

beforeAll(async () => {
  stack = await startTestStack();
  db = new pg.Client({ connectionString: stack.database.url });
  await db.connect();
  alice = await createUser(stack.database.url);
  bob = await createUser(stack.database.url);
  // Alice: 3 calls 10 minutes ago (one failed), 2 three hours ago, 1 three days ago; Bob: 4 calls 10 minutes ago.
  const insert = `insert into public.ai_processing_logs
      (user_id, operation, provider, status, latency_ms, tokens_in, tokens_out, cost_usd, created_at)
    select $1, 'classify', 'local', case when i <= $3 then 'error' else 'success' end, $4, 10, 5, 0.001,
           now() - $5::interval
    from generate_series(1, $2) i`;
  await db.query(insert, [alice, 3, 1, 100, '10 minutes']);
  await db.query(insert, [alice, 2, 0, 1000, '3 hours']);
  await db.query(insert, [alice, 1, 0, 50, '3 days']);
  await db.query(insert, [bob, 4, 0, 10, '10 minutes']);
});
afterAll(async () => {
  await db.end();
  await stack.stop();
});

interface Bucket {
  start: string;
  calls: number;
  errors: number;
  errorRate: number;
  p50: number | null;
  p95: number | null;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
}

async function series(window: string) {
  const { data, error } = await stack
    .client(await stack.userToken(alice))
    .functions.invoke(`ai/metrics?window=${window}`, { method: 'GET' });
  expect(error).toBeNull();
  return data.series as { bucketSeconds: number; buckets: Bucket[] };
}

const sum = (buckets: Bucket[], pick: (b: Bucket) => number) =>
  buckets.reduce((total, b) => total + pick(b), 0);

/** The bucket holding `ago` milliseconds before now. */
function bucketAt(s: { bucketSeconds: number; buckets: Bucket[] }, ago: number): Bucket {
  const at = Date.now() - ago;
  return s.buckets.find(
    (b) => Date.parse(b.start) <= at && at < Date.parse(b.start) + s.bucketSeconds * 1000,
  )!;
}

describe('GET /ai/metrics series', () => {
  it("buckets the caller's own calls over 1h in 5 minutes, every bucket present, oldest first", async () => {
    const s = await series('1h');
    expect(s.bucketSeconds).toBe(300);
    expect(s.buckets.length).toBeGreaterThanOrEqual(12);
    expect(s.buckets.length).toBeLessThanOrEqual(13);
    const starts = s.buckets.map((b) => Date.parse(b.start));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(starts.every((start) => start % 300_000 === 0)).toBe(true);
    // Bob's four calls are not Alice's.
    expect(sum(s.buckets, (b) => b.calls)).toBe(3);
    const recent = bucketAt(s, 10 * 60_000);
    expect(recent).toMatchObject({ calls: 3, errors: 1, tokensIn: 30, tokensOut: 15 });
    expect(recent.errorRate).toBeCloseTo(1 / 3);
    expect(recent.costUsd).toBeCloseTo(0.003);
    expect(recent.p50).toBeGreaterThan(90);
    expect(recent.p50).toBeLessThan(110);
    expect(s.buckets.filter((b) => b.calls === 0).every((b) => b.p50 === null && b.errorRate === 0)).toBe(
      true,
    );
  });

  it('gives the same hourly and 6-hourly buckets from the raw rows and from the rollup', async () => {
    const before = { day: await series('24h'), week: await series('7d') };
    await refreshAiMetricsRollup(stack.services.db, { from: new Date(Date.now() - 8 * 86_400_000) });
    const after = { day: await series('24h'), week: await series('7d') };
    for (const s of [before.day, after.day]) {
      expect(s.bucketSeconds).toBe(3600);
      expect(s.buckets.length).toBeGreaterThanOrEqual(24);
      expect(sum(s.buckets, (b) => b.calls)).toBe(5);
      const earlier = bucketAt(s, 3 * 3_600_000);
      expect(earlier.calls).toBeGreaterThanOrEqual(2);
      expect(earlier.p95).toBeGreaterThan(900);
      expect(earlier.p95).toBeLessThan(1100);
    }
    for (const s of [before.week, after.week]) {
      expect(s.bucketSeconds).toBe(21_600);
      expect(s.buckets.length).toBeGreaterThanOrEqual(28);
      expect(sum(s.buckets, (b) => b.calls)).toBe(6);
      expect(sum(s.buckets, (b) => b.errors)).toBe(1);
    }
    expect(after.day.buckets.map((b) => [b.start, b.calls, b.errors])).toEqual(
      before.day.buckets.map((b) => [b.start, b.calls, b.errors]),
    );
  });
});
