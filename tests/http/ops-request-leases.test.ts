import { type ChildProcess, spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../local/keys.ts';
import type { Queryable } from '../../shared/db/database.ts';
import { UserRequestLeases } from '../../shared/http/rate-limit.ts';
import { createTestDatabase, createUser, type TestDatabase } from '../support/db.ts';

const worker = new URL('../support/request-limit-worker.ts', import.meta.url).pathname;

let database: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 8 });
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

/** Waits until at least `seconds` are left in the current minute, so a test's requests share one window. */
async function awayFromMinuteEdge(seconds: number) {
  const left = 60 - new Date().getUTCSeconds();
  if (left < seconds) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 200));
}

async function leaseRow(userId: string) {
  const { rows } = await pool.query<{ requests: number; leases: number; windows: number }>(
    `select coalesce(sum(requests), 0)::int as requests, coalesce(sum(leases), 0)::int as leases,
            count(*)::int as windows
     from app_private.user_request_counts where user_id = $1`,
    [userId],
  );
  return rows[0]!;
}

/** A child process as one more function instance; resolves once it is ready, `go()` starts its requests. */
async function startInstance(options: Record<string, unknown>) {
  const child: ChildProcess = spawn(process.execPath, [worker, database.url, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.startsWith('ready\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`instance exited (${code}) before it was ready`)));
  });
  return {
    async go() {
      child.stdin!.write('go\n');
      expect(await exited).toBe(0);
      return JSON.parse(out.split('\n')[1]!) as { statuses: Record<string, number> };
    },
  };
}

describe('the per-user request limit, leased to instances', () => {
  it('four processes hammering one user admit between 90% and 100% of the limit', async () => {
    const LIMIT = 400;
    const user = await createUser(database.url);
    const token = await signToken({ role: 'authenticated', sub: user });
    const instances = await Promise.all(
      Array.from({ length: 4 }, () => startInstance({ token, limit: LIMIT, requests: 200, concurrency: 8 })),
    );
    // The 800 requests must fall in one minute: one minute's count is what is checked.
    await awayFromMinuteEdge(25);
    const reports = await Promise.all(instances.map((instance) => instance.go()));
    const ok = reports.reduce((sum, r) => sum + (r.statuses[200] ?? 0), 0);
    const limited = reports.reduce((sum, r) => sum + (r.statuses[429] ?? 0), 0);
    const row = await leaseRow(user);
    console.log(
      `4 processes, 800 requests of one user, limit ${LIMIT}: ${ok} admitted ` +
        `(${reports.map((r) => r.statuses[200] ?? 0).join(' + ')}), ${limited} answered 429, ` +
        `${row.leases} leases of the user's row`,
    );
    expect(row.windows).toBe(1);
    expect(ok + limited).toBe(800);
    expect(ok).toBeLessThanOrEqual(LIMIT);
    expect(ok).toBeGreaterThanOrEqual(LIMIT * 0.9);
    // Leases of 400 / 40 = 10: the row was written 40 times for 800 requests, not 800.
    expect(row.requests).toBe(LIMIT);
    expect(row.leases).toBe(LIMIT / 10);
  }, 180_000);

  it("touches a heavy user's row once per lease, not once per request", async () => {
    const user = await createUser(database.url);
    let statements = 0;
    const counting: Queryable = {
      query(text, values) {
        statements++;
        return pool.query(text, values);
      },
    };
    // Four instances in this process, each with its own leases; 250 requests at once each, limit 4,000
    // (leases of 100).
    const instances = Array.from({ length: 4 }, () => new UserRequestLeases(counting, 4_000));
    await awayFromMinuteEdge(15);
    const decisions = await Promise.all(
      instances.flatMap((instance) => Array.from({ length: 250 }, () => instance.take(user))),
    );
    expect(decisions.every((d) => d.allowed && d.limit === 4_000)).toBe(true);
    // Each instance needs ceil(250 / 100) = 3 leases: 12 statements for 1,000 requests.
    expect(statements).toBe(12);
    expect(await leaseRow(user)).toMatchObject({ requests: 1_200, leases: 12, windows: 1 });
    // Remaining is what this instance knew at its last lease: the minute's unleased requests then (at least
    // 4,000 - 1,200, at most 4,000 - 300) and its own lease's 49 left.
    const next = await instances[0]!.take(user);
    expect(next.remaining).toBeGreaterThanOrEqual(4_000 - 1_200 + 49);
    expect(next.remaining).toBeLessThanOrEqual(4_000 - 300 + 49);
    expect(statements).toBe(12);
  });
});
