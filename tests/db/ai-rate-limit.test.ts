import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgAiStore } from '../../shared/ai/store.ts';
import { createDatabase, type Database } from '../../shared/db/database.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const run = promisify(execFile);
const worker = new URL('../support/rate-limit-worker.ts', import.meta.url).pathname;

let database: TestDatabase;
let db: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase(database.url, { max: 4 });
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

interface WorkerReport {
  granted: Record<string, number>;
  attempts: Record<string, number>;
}

/** Runs `processes` workers at once against the same database and adds up what each window granted. */
async function hammer(processes: number, options: Record<string, unknown>) {
  const reports = await Promise.all(
    Array.from({ length: processes }, () =>
      run(process.execPath, [worker, database.url, JSON.stringify(options)], { timeout: 60_000 }),
    ),
  );
  const granted: Record<string, number> = {};
  const attempts: Record<string, number> = {};
  for (const { stdout } of reports) {
    const report = JSON.parse(stdout) as WorkerReport;
    for (const [window, n] of Object.entries(report.granted)) granted[window] = (granted[window] ?? 0) + n;
    for (const [window, n] of Object.entries(report.attempts)) attempts[window] = (attempts[window] ?? 0) + n;
  }
  return { granted, attempts };
}

describe('the shared AI rate limiter', () => {
  it('admits exactly the request limit when four processes call it at once', async () => {
    const limit = 37;
    const { granted, attempts } = await hammer(4, {
      provider: 'race-requests',
      calls: 30,
      connections: 3,
      tokens: 10,
      maxRequests: limit,
      maxTokens: 1_000_000,
      // An hour-wide window, so the run cannot straddle a window edge.
      windowSeconds: 3_600,
    });
    expect(Object.values(attempts).reduce((a, b) => a + b, 0)).toBe(120);
    for (const window of Object.keys(attempts)) {
      expect(granted[window] ?? 0).toBe(Math.min(limit, attempts[window]!));
    }
  });

  it('admits exactly as many calls as fit the token budget under the same contention', async () => {
    const { granted, attempts } = await hammer(4, {
      provider: 'race-tokens',
      calls: 25,
      connections: 3,
      tokens: 30,
      maxRequests: 1_000_000,
      maxTokens: 1_000,
      windowSeconds: 3_600,
    });
    for (const window of Object.keys(attempts)) {
      expect(granted[window] ?? 0).toBe(Math.min(Math.floor(1_000 / 30), attempts[window]!));
    }
  });

  it('tells a refused caller how long to wait, never more than two windows', async () => {
    const store = createPgAiStore(db);
    const limits = { requestsPerMinute: 2, tokensPerMinute: 1_000 };
    expect((await store.consumeRate('wait-test', 10, limits)).allowed).toBe(true);
    expect((await store.consumeRate('wait-test', 10, limits)).allowed).toBe(true);
    const refused = await store.consumeRate('wait-test', 10, limits);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('counts a request larger than the token budget as the whole budget, so it runs alone', async () => {
    const store = createPgAiStore(db);
    const limits = { requestsPerMinute: 100, tokensPerMinute: 500 };
    expect((await store.consumeRate('huge', 5_000, limits)).allowed).toBe(true);
    expect((await store.consumeRate('huge', 1, limits)).allowed).toBe(false);
  });

  it('gives back the tokens an admission over-estimated', async () => {
    const store = createPgAiStore(db);
    const limits = { requestsPerMinute: 100, tokensPerMinute: 500 };
    const first = await store.consumeRate('adjust', 400, limits);
    expect((await store.consumeRate('adjust', 200, limits)).allowed).toBe(false);
    await store.adjustRate('adjust', first.windowStart, -300);
    expect((await store.consumeRate('adjust', 200, limits)).allowed).toBe(true);
  });

  it('cannot be called by signed-in users or anon', async () => {
    const client = await db.pool.connect();
    try {
      for (const role of ['authenticated', 'anon']) {
        await expect(
          client.query(`set role ${role}; select * from ai_private.consume_ai_rate_limit('x', 1, 1, 1, 1)`),
        ).rejects.toThrow(/permission denied/);
        await client.query('reset role');
      }
    } finally {
      client.release();
    }
  });
});
