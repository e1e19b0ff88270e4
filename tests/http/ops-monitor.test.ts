import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/http/logger.ts';
import { createUser } from '../support/db.ts';
import { callFunction, statusAndBody } from '../support/harness.ts';
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
});
afterAll(async () => {
  await db.end();
  await stack.stop();
});

async function get(token: string | undefined, path: string) {
  return callFunction(stack, path, { token }).then(statusAndBody);
}

/** Calls of a user in the last half hour: `errors` of them failed, every one took `latency` ms and cost `cost`. */
async function calls(userId: string, n: number, errors: number, latency: number, cost: number) {
  await db.query(
    `insert into public.ai_processing_logs (user_id, operation, provider, status, latency_ms, cost_usd, created_at)
     select $1, 'analyze', 'openai', case when i <= $3 then 'error' else 'success' end, $4, $5,
            -- Today (UTC) as well as in the last hour, even just after midnight.
            greatest(now() - interval '20 minutes', date_trunc('day', now(), 'UTC'))
     from generate_series(1, $2) i`,
    [userId, n, errors, latency, cost],
  );
}

function runJob(queue: string) {
  const job = stack.services.jobs.registry.get(queue);
  if (!job) throw new Error(`no handler for ${queue}`);
  return job.handler(
    {},
    {
      id: randomUUID(),
      queue,
      retryCount: 0,
      signal: new AbortController().signal,
      logger: createLogger('error'),
    },
  ) as Promise<Record<string, unknown>>;
}

describe('GET /ai/metrics', () => {
  it("gives a user their own metrics through supabase-js and the service role everyone's", async () => {
    await calls(alice, 4, 1, 300, 0.01);
    await calls(bob, 2, 0, 300, 0.01);
    const { data, error } = await stack
      .client(await stack.userToken(alice))
      .functions.invoke('ai/metrics?window=1h', { method: 'GET' });
    expect(error).toBeNull();
    expect(data).toMatchObject({
      scope: 'user',
      window: '1h',
      totals: { calls: 4, errors: 1, errorRate: 0.25 },
    });
    expect(data.queues.length).toBeGreaterThan(0);
    const all = await get(stack.serviceKey, 'ai/metrics?window=1h');
    expect(all.body).toMatchObject({ scope: 'all', totals: { calls: 6 } });
  });

  it('answers 400 for an unknown window and 401 without a token', async () => {
    const bad = await get(await stack.userToken(alice), 'ai/metrics?window=1y');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
    expect((await get(undefined, 'ai/metrics')).status).toBe(401);
    expect((await get(stack.anonKey, 'ai/metrics')).status).toBe(401);
  });
});

describe('alerts from ai.monitor_ai_processing', () => {
  it("records crossed thresholds once per period, under each user's own thresholds", async () => {
    const carol = await createUser(stack.database.url);
    const dave = await createUser(stack.database.url);
    // Carol: half her calls fail, each takes 20 s, and she spent $10 today (default alert: $4).
    await calls(carol, 20, 10, 20_000, 0.5);
    // Dave fails as often but tolerates it; a malformed threshold falls back to the default.
    await calls(dave, 20, 10, 100, 0);
    await db.query(
      `insert into public.user_ai_settings (user_id, alert_thresholds) values ($1, '{"error_rate": 0.9, "p95_latency_ms": "slow"}')`,
      [dave],
    );
    await db.query(
      `select app_private.enqueue_job('ai.route_ai_tasks', '{}'::jsonb, start_after => now() - interval '1 hour')`,
    );

    const first = await runJob('ai.monitor_ai_processing');
    expect(first).toMatchObject({ ops: { alerts: { raised: expect.any(Number) } } });

    const carols = await get(await stack.userToken(carol), 'ai/alerts');
    expect(carols.status).toBe(200);
    const kinds = carols.body.alerts
      .map((a: { kind: string; subject: string }) => `${a.kind}:${a.subject}`)
      .sort();
    expect(kinds).toEqual(['daily_cost:all', 'error_rate:analyze/openai', 'p95_latency:analyze/openai']);
    const errorRate = carols.body.alerts.find((a: { kind: string }) => a.kind === 'error_rate');
    expect(errorRate).toMatchObject({ value: 0.5, threshold: 0.2 });

    expect((await get(await stack.userToken(dave), 'ai/alerts')).body.alerts).toEqual([]);

    const { rows } = await db.query(
      `select subject from public.ai_alerts where kind = 'queue_age' and user_id is null`,
    );
    expect(rows.map((r) => r.subject)).toContain('ai.route_ai_tasks');

    const second = await runJob('ai.monitor_ai_processing');
    expect(second).toMatchObject({ ops: { alerts: { raised: 0 } } });
    expect((await get(await stack.userToken(carol), 'ai/alerts')).body.alerts).toHaveLength(3);
  });

  it('rolls the metrics up on every run, after logging paid calls abandoned 15 minutes ago', async () => {
    // Sent 16 minutes ago (logged as abandoned), opened 16 minutes ago and never sent (deleted unlogged), sent a
    // minute ago (still in flight).
    await db.query(
      `insert into ai_private.ai_calls_in_flight
         (user_id, operation, provider, tokens_in, cost_usd, created_at, sent_at)
       values ($1, 'analyze', 'openai', 100, 0.25, now() - interval '17 minutes', now() - interval '16 minutes'),
              ($1, 'analyze', 'openai', 100, 0.25, now() - interval '16 minutes', null),
              ($1, 'analyze', 'openai', 100, 0.25, now() - interval '20 minutes', now() - interval '1 minute')`,
      [bob],
    );
    const result = await runJob('ai.monitor_ai_processing');
    expect(result).toMatchObject({
      ops: { abandonedCalls: 1, unsentCallsDeleted: 1, rollup: { rolledUpTo: expect.any(String) } },
    });
    const abandoned = await db.query(
      `select status, error_code, tokens_in, cost_usd from public.ai_processing_logs
        where user_id = $1 and error_code = 'abandoned'`,
      [bob],
    );
    expect(abandoned.rows).toEqual([
      { status: 'error', error_code: 'abandoned', tokens_in: 100, cost_usd: '0.250000' },
    ]);
    const left = await db.query(
      "select sent_at > now() - interval '2 minutes' as recent from ai_private.ai_calls_in_flight where user_id = $1",
      [bob],
    );
    expect(left.rows).toEqual([{ recent: true }]);
    const { rows } = await db.query('select rolled_up_to from app_private.ai_metrics_rollup_state');
    expect(rows[0].rolled_up_to).not.toBeNull();
  });

  it('answers 400 for a malformed page cursor', async () => {
    const response = await get(await stack.userToken(alice), "ai/alerts?before=yesterday'--");
    expect(response.status).toBe(400);
  });
});

describe('the cleanup schedule', () => {
  it('applies the log retention on every run of ai.cleanup_expired_workflows', async () => {
    await db.query(
      `insert into public.ai_processing_logs (user_id, operation, provider, status, created_at)
       values ($1, 'classify', 'local', 'success', now() - interval '45 days')`,
      [alice],
    );
    const result = await runJob('ai.cleanup_expired_workflows');
    expect(result).toMatchObject({ retention: { logs: 1, complete: true } });
  });
});
