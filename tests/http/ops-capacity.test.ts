// Running out of database connections answers 503 with Retry-After (never 500), and metrics and alerts read
// from the read replica when DATABASE_READ_URL names one.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../support/ai-logs.ts';
import { createTestDatabase, createUser, type TestDatabase } from '../support/db.ts';
import { type CallInit, callFunction } from '../support/harness.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

async function call(stack: TestStack, token: string, path: string, init: CallInit = {}) {
  return callFunction(stack, path, { ...init, token });
}

describe('a full connection pool', () => {
  let stack: TestStack;
  let user: string;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack({ DB_POOL_MAX: '1', DB_POOL_TIMEOUT_MS: '300' });
    user = await createUser(stack.database.url);
    token = await stack.userToken(user);
  });
  afterAll(() => stack.stop());

  async function whileHeld<T>(fn: () => Promise<T>): Promise<T> {
    const held: pg.PoolClient = await stack.services.db.pool.connect();
    try {
      return await fn();
    } finally {
      held.release();
    }
  }

  it('answers 503 with Retry-After on reads, writes and health, and recovers when a connection frees', async () => {
    const answers = await whileHeld(async () => ({
      metrics: await call(stack, token, 'ai/metrics?window=1h'),
      write: await call(stack, token, 'workflows', {
        method: 'POST',
        body: JSON.stringify({
          name: 'held',
          steps: [{ id: 'a', type: 'notification', config: { title: 'x' } }],
        }),
      }),
      health: await call(stack, token, 'ai/health'),
    }));
    for (const answer of Object.values(answers)) {
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe('unavailable');
      expect(answer.headers.get('retry-after')).toBe('1');
      // Nothing internal leaks: no pg message, no stack.
      expect(JSON.stringify(answer.body)).not.toMatch(/timeout exceeded|at .*\.ts/);
    }
    const written = await query(
      stack.database.url,
      'select count(*)::int as n from public.document_workflows',
    );
    expect(written[0]!.n).toBe(0);

    const after = await call(stack, token, 'ai/metrics?window=1h');
    expect(after.status).toBe(200);
  });
});

describe('DATABASE_READ_URL', () => {
  let stack: TestStack;
  let replica: TestDatabase;
  let user: string;
  let token: string;

  beforeAll(async () => {
    // A second database stands in for the replica: what metrics show tells which one they were read from.
    replica = await createTestDatabase();
    stack = await startTestStack({ DATABASE_READ_URL: replica.url });
    const id = randomUUID();
    user = await createUser(stack.database.url, id);
    await createUser(replica.url, id);
    token = await stack.userToken(user);
    const insert = `insert into public.ai_processing_logs (user_id, operation, provider, status, latency_ms, created_at)
                    select $1, $2, 'local', 'success', 10, now() - interval '5 minutes' from generate_series(1, $3)`;
    await query(stack.database.url, insert, [user, 'summarize', 2]);
    await query(replica.url, insert, [user, 'analyze', 7]);
    await query(
      replica.url,
      `insert into public.ai_alerts (user_id, kind, subject, value, threshold, period_start)
       values ($1, 'error_rate', 'analyze/replica', 0.5, 0.2, date_trunc('hour', now()))`,
      [user],
    );
  });
  afterAll(async () => {
    await stack.stop();
    await replica.drop();
  });

  it('serves metrics and alerts from the replica and writes to the primary', async () => {
    const metrics = await call(stack, token, 'ai/metrics?window=1h');
    expect(metrics.status).toBe(200);
    expect(
      metrics.body.operations.map((o: { operation: string; calls: number }) => [o.operation, o.calls]),
    ).toEqual([['analyze', 7]]);
    const alerts = await call(stack, token, 'ai/alerts');
    expect(alerts.status).toBe(200);
    expect(alerts.body.alerts.map((a: { subject: string }) => a.subject)).toEqual(['analyze/replica']);

    const created = await call(stack, token, 'workflows', {
      method: 'POST',
      body: JSON.stringify({
        name: 'primary',
        steps: [{ id: 'a', type: 'notification', config: { title: 'x' } }],
      }),
    });
    expect(created.status).toBe(201);
    const onPrimary = await query(
      stack.database.url,
      'select count(*)::int as n from public.document_workflows',
    );
    const onReplica = await query(replica.url, 'select count(*)::int as n from public.document_workflows');
    expect([onPrimary[0]!.n, onReplica[0]!.n]).toEqual([1, 0]);
  });
});
