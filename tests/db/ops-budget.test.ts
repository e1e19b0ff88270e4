import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../shared/db/database.ts';
import { leaseUserRequests } from '../../shared/http/request-limit-store.ts';
import { assertWithinBudget, BudgetExceededError } from '../../shared/ops/budget.ts';
import { refreshAiMetricsRollup } from '../../shared/ops/metrics.ts';
import { createTestDatabase, createUser, type TestDatabase } from '../support/db.ts';

let database: TestDatabase;
let db: Database;
let admin: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase(database.url, { max: 20 });
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await db.close();
  await database.drop();
});

async function spend(userId: string, usd: number, at = 'now()') {
  await admin.query(
    `insert into public.ai_processing_logs (user_id, operation, provider, status, cost_usd, created_at)
     values ($1, 'analyze', 'openai', 'success', $2, ${at})`,
    [userId, usd],
  );
}

const outcome = (promise: Promise<void>) =>
  promise.then(
    () => 'within',
    (error: unknown) => error,
  );

describe('the daily AI cost budget', () => {
  it('lets calls through under the budget and stops them with 429 budget_exceeded once it is reached', async () => {
    const user = await createUser(database.url);
    await spend(user, 4);
    expect(await outcome(assertWithinBudget(db, user, 5))).toBe('within');
    await spend(user, 1.5);
    const error = await outcome(assertWithinBudget(db, user, 5));
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error).toMatchObject({ status: 429, code: 'budget_exceeded' });
    const retryAfter = Number((error as BudgetExceededError).headers['Retry-After']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
  });

  it("counts only today's spend (UTC), from the rollup and the raw rows alike", async () => {
    const user = await createUser(database.url);
    await spend(user, 100, `date_trunc('day', now(), 'UTC') - interval '1 hour'`);
    await spend(user, 3);
    expect(await outcome(assertWithinBudget(db, user, 5))).toBe('within');
    await refreshAiMetricsRollup(db, { from: new Date(Date.now() - 2 * 86_400_000) });
    expect(await outcome(assertWithinBudget(db, user, 5))).toBe('within');
    await spend(user, 2);
    expect(await outcome(assertWithinBudget(db, user, 5))).toBeInstanceOf(BudgetExceededError);
  });

  it("lets a user's own setting lower the budget but never raise it", async () => {
    const low = await createUser(database.url);
    const high = await createUser(database.url);
    await admin.query(
      'insert into public.user_ai_settings (user_id, daily_cost_budget_usd) values ($1, 1), ($2, 1000)',
      [low, high],
    );
    await spend(low, 1);
    await spend(high, 6);
    expect(await outcome(assertWithinBudget(db, low, 5))).toBeInstanceOf(BudgetExceededError);
    expect(await outcome(assertWithinBudget(db, high, 5))).toBeInstanceOf(BudgetExceededError);
  });

  it("never counts another user's spend", async () => {
    const spender = await createUser(database.url);
    const saver = await createUser(database.url);
    await spend(spender, 50);
    expect(await outcome(assertWithinBudget(db, saver, 5))).toBe('within');
  });
});

describe('the per-user request leases', () => {
  it('leases limit / 40 at a time and never more than the limit when many instances race for it', async () => {
    const user = await createUser(database.url);
    const leases = await Promise.all(
      Array.from({ length: 60 }, () => db.asService((tx) => leaseUserRequests(tx, user, 400))),
    );
    const granted = leases.map((l) => l.granted);
    // A minute boundary in the middle would open a new window: then the two minutes' grants are each <= 400.
    const total = granted.reduce((a, b) => a + b, 0);
    expect([400, 600]).toContain(total);
    expect(granted.every((g) => g === 0 || g === 10)).toBe(true);
    expect(
      leases.every((l) => l.limit === 400 && l.used <= 400 && l.resetMs >= 1 && l.resetMs <= 60_000),
    ).toBe(true);
    const { rows } = await admin.query<{ leases: number; requests: number }>(
      'select sum(leases)::int as leases, max(requests) as requests from app_private.user_request_counts where user_id = $1',
      [user],
    );
    expect(rows[0]!.leases).toBe(granted.filter((g) => g > 0).length);
    expect(rows[0]!.requests).toBeLessThanOrEqual(400);
  });

  it('leases one request at a time under 80 a minute, and the last lease only what is left', async () => {
    const small = await createUser(database.url);
    const first = await db.asService((tx) => leaseUserRequests(tx, small, 3));
    expect(first).toMatchObject({ granted: 1, used: 1, limit: 3 });
    const odd = await createUser(database.url);
    const leases = [];
    for (let i = 0; i < 4; i++) leases.push(await db.asService((tx) => leaseUserRequests(tx, odd, 90)));
    // 90 / 40 = 2 a lease: 2, 2, 2, 2 (or a fresh minute's 2 if one started in between).
    expect(leases.map((l) => l.granted)).toEqual([2, 2, 2, 2]);
    const near = await createUser(database.url);
    await admin.query(
      `insert into app_private.user_request_counts (user_id, window_start, requests)
       values ($1, date_trunc('minute', clock_timestamp()), 395)`,
      [near],
    );
    const last = await db.asService((tx) => leaseUserRequests(tx, near, 400));
    // Unless the minute turned since the insert (then a fresh 10).
    expect([5, 10]).toContain(last.granted);
    if (last.granted === 5) {
      expect(last.used).toBe(400);
      expect((await db.asService((tx) => leaseUserRequests(tx, near, 400))).granted).toBe(0);
    }
  });

  it("applies the user's lower requests_per_minute, never a higher one", async () => {
    const careful = await createUser(database.url);
    const greedy = await createUser(database.url);
    await admin.query(
      'insert into public.user_ai_settings (user_id, requests_per_minute) values ($1, 3), ($2, 100000)',
      [careful, greedy],
    );
    expect((await db.asService((tx) => leaseUserRequests(tx, careful, 10))).limit).toBe(3);
    expect((await db.asService((tx) => leaseUserRequests(tx, greedy, 10))).limit).toBe(10);
  });
});
