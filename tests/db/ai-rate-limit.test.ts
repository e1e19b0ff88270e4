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

/** Runs `processes` workers at once against the same database and collects the starts they reserved. */
async function hammer(processes: number, options: Record<string, unknown>) {
  const reports = await Promise.all(
    Array.from({ length: processes }, () =>
      run(process.execPath, [worker, database.url, JSON.stringify(options)], { timeout: 60_000 }),
    ),
  );
  const starts: number[] = [];
  let refused = 0;
  for (const { stdout } of reports) {
    const report = JSON.parse(stdout) as { starts: number[]; refused: number };
    starts.push(...report.starts);
    refused += report.refused;
  }
  return { starts: starts.sort((a, b) => a - b), refused };
}

describe('the shared provider pace', () => {
  it('spaces the starts of four processes reserving at once 60 s / RPM apart, with no two together', async () => {
    // At 60 a minute the 120 starts reach two minutes ahead: however late a process starts, it queues behind.
    const { starts, refused } = await hammer(4, {
      provider: 'race-requests',
      calls: 30,
      connections: 3,
      tokens: 10,
      maxRequests: 60,
      maxTokens: 100_000_000,
      maxWaitMs: 600_000,
    });
    expect(refused).toBe(0);
    expect(starts).toHaveLength(120);
    const gaps = starts.slice(1).map((start, i) => start - starts[i]!);
    // 1 s plus the 1% headroom, exactly: the starts are the server's.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_009.9);
    // Back to back: the 120 starts cover 119 spacings, no idle gap opened by the contention.
    expect(starts.at(-1)! - starts[0]!).toBeLessThan(119 * 1_010 + 200);
  });

  it('admits what fits the patience and the token bucket, and refuses the rest at once', async () => {
    // A bucket of 1,000,000 tokens holds 33 calls of 30,000; it refills 16,667 a second, half a call.
    const { starts, refused } = await hammer(4, {
      provider: 'race-tokens',
      calls: 25,
      connections: 3,
      tokens: 30_000,
      maxRequests: 1_000_000,
      maxTokens: 1_000_000,
      maxWaitMs: 0,
    });
    expect(starts.length).toBeGreaterThanOrEqual(33);
    expect(starts.length).toBeLessThanOrEqual(35);
    expect(starts.length + refused).toBe(100);
  });

  it('tells a refused caller how long until its start would be free', async () => {
    const store = createPgAiStore(db);
    const limits = { requestsPerMinute: 2, tokensPerMinute: 1_000 };
    expect(await store.reserveCall('wait-test', 10, limits, 0)).toEqual({ reserved: true, waitMs: 0 });
    const refused = await store.reserveCall('wait-test', 10, limits, 0);
    expect(refused.reserved).toBe(false);
    expect(refused.waitMs).toBeGreaterThan(29_000);
    expect(refused.waitMs).toBeLessThanOrEqual(30_300);
    // With the patience for it, the same call is reserved that far ahead.
    const patient = await store.reserveCall('wait-test', 10, limits, 60_000);
    expect(patient.reserved).toBe(true);
    expect(patient.waitMs).toBeGreaterThan(29_000);
  });

  it('counts a call larger than the token bucket as the whole bucket, so it runs alone', async () => {
    const store = createPgAiStore(db);
    const limits = { requestsPerMinute: 100, tokensPerMinute: 500 };
    expect((await store.reserveCall('huge', 5_000, limits, 0)).reserved).toBe(true);
    const next = await store.reserveCall('huge', 1, limits, 0);
    expect(next.reserved).toBe(false);
    expect(next.waitMs).toBeGreaterThan(50);
  });

  it('gives back the tokens a reservation over-estimated', async () => {
    const store = createPgAiStore(db);
    const limits = { requestsPerMinute: 100, tokensPerMinute: 500 };
    expect((await store.reserveCall('adjust', 400, limits, 0)).reserved).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 700)); // past the request spacing
    expect((await store.reserveCall('adjust', 200, limits, 0)).reserved).toBe(false);
    await store.adjustCall('adjust', -300, limits);
    expect((await store.reserveCall('adjust', 200, limits, 0)).reserved).toBe(true);
  });

  it('holds every start behind a 429 block, and a longer block already set stays', async () => {
    const store = createPgAiStore(db);
    const limits = { requestsPerMinute: 600, tokensPerMinute: 1_000_000 };
    await store.blockProvider('blocked', 3_000);
    await store.blockProvider('blocked', 1_000);
    expect(await store.providerBlockedMs('blocked')).toBeGreaterThan(2_500);
    const start = await store.reserveCall('blocked', 10, limits, 10_000);
    expect(start.reserved).toBe(true);
    expect(start.waitMs).toBeGreaterThan(2_500);
    expect(await store.providerBlockedMs('never-blocked')).toBe(0);
  });

  it('cannot be called by signed-in users or anon', async () => {
    const client = await db.pool.connect();
    try {
      for (const role of ['authenticated', 'anon']) {
        for (const sql of [
          `select * from ai_private.reserve_ai_call('x', 1, 1, 1, 0)`,
          `select ai_private.block_ai_provider('x', 60000)`,
          `select ai_private.adjust_ai_call('x', -100, 1)`,
          'select * from ai_private.ai_provider_pace',
        ]) {
          await expect(client.query(`set role ${role}; ${sql}`)).rejects.toThrow(/permission denied/);
          await client.query('reset role');
        }
      }
    } finally {
      client.release();
    }
  });
});
