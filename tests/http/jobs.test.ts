import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob } from '../../shared/jobs/contract.ts';
import { createTestQueue } from '../support/jobs.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let admin: pg.Client;

// Each job takes `ms` (300 by default), honouring its signal; two run at a time.
const slowJob = defineJob('test.slow', z.object({ n: z.number().int(), ms: z.number().int().optional() }));

beforeAll(async () => {
  stack = await startTestStack();
  admin = new pg.Client({ connectionString: stack.database.url });
  await admin.connect();
  await admin.query('create table public.test_drained (job_id uuid primary key, n int not null)');
  await admin.query('grant insert on public.test_drained to service_role');
  await createTestQueue(stack.services, slowJob.queue, { retryLimit: 3, retryDelay: 0 });
  stack.services.jobs.registry.register(
    slowJob,
    async (data, job) => {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, data.ms ?? 300);
        job.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(job.signal.reason);
        });
      });
      await stack.services.db.asService((tx) =>
        tx.query('insert into public.test_drained (job_id, n) values ($1, $2) on conflict do nothing', [
          job.id,
          data.n,
        ]),
      );
    },
    { concurrency: 2 },
  );
});
afterAll(async () => {
  await admin.end();
  await stack.stop();
});

function call(path: string, init: RequestInit & { token?: string } = {}) {
  return fetch(`${stack.url}/functions/v1/jobs${path}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${init.token ?? stack.serviceKey}`,
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
    },
  });
}

async function drain(body: unknown) {
  const started = performance.now();
  const response = await call('/drain', { method: 'POST', body: JSON.stringify(body) });
  return { response, json: await response.json(), wallMs: performance.now() - started };
}

async function stateCounts() {
  const { rows } = await admin.query(
    `select state, count(*)::int as n from pgboss.job where name = 'test.slow' group by state order by state`,
  );
  return Object.fromEntries(rows.map((row) => [row.state, row.n]));
}

describe('POST /jobs/drain', () => {
  it('stops within its time budget and leaves unfinished jobs for the next call', async () => {
    for (let n = 0; n < 20; n++) await stack.services.jobs.send(slowJob, { n });

    // 20 jobs of 300 ms two at a time are 3 s of work: a 2 s budget stops with some left.
    const first = await drain({ budgetMs: 2000, queues: ['test.slow'] });
    expect(first.response.status).toBe(200);
    expect(first.json.stoppedBy).toBe('budget');
    expect(first.json.elapsedMs).toBeLessThanOrEqual(2000);
    // The answer follows the budget closely (the margin is for a loaded machine's HTTP round trip).
    expect(first.wallMs).toBeLessThan(3000);
    expect(first.json.completed).toBeGreaterThanOrEqual(2);
    expect(first.json.completed).toBeLessThan(20);
    expect(first.json.failed).toBe(0);
    // Nothing was started that could not finish: what is not completed is still waiting, not stuck active.
    expect(await stateCounts()).toEqual({
      completed: first.json.completed,
      created: 20 - first.json.completed,
    });

    const second = await drain({ budgetMs: 10_000, queues: ['test.slow'] });
    expect(second.json).toMatchObject({
      stoppedBy: 'empty',
      completed: 20 - first.json.completed,
      failed: 0,
    });
    expect(await stateCounts()).toEqual({ completed: 20 });
    const effects = await admin.query('select count(distinct n)::int as n from public.test_drained');
    expect(effects.rows[0].n).toBe(20);
  }, 30_000);

  it('fails a handler still running at the deadline, so it is retried rather than lost', async () => {
    const id = await stack.services.jobs.send(slowJob, { n: 100, ms: 3000 });
    const { json } = await drain({ budgetMs: 1000, queues: ['test.slow'] });
    expect(json).toMatchObject({ stoppedBy: 'budget', completed: 0, failed: 1 });
    expect(json.elapsedMs).toBeLessThanOrEqual(1000);
    const { rows } = await admin.query('select state, output from pgboss.job where id = $1', [id]);
    expect(rows[0]).toMatchObject({ state: 'retry', output: { error: { name: 'AttemptAbortedError' } } });
  });

  it('answers 400 for a queue no handler serves, and for a budget out of range', async () => {
    const unknown = await drain({ queues: ['ai.nope'] });
    expect(unknown.response.status).toBe(400);
    expect(unknown.json.error.code).toBe('bad_request');
    const tooLong = await drain({ budgetMs: 10 * 60_000 });
    expect(tooLong.response.status).toBe(400);
  });

  it('accepts a call with no body (every handled queue, default budget)', async () => {
    const response = await call('/drain', { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ stoppedBy: 'empty', budgetMs: 20_000 });
  });

  it('is for the service role only', async () => {
    const user = await stack.userToken(crypto.randomUUID());
    expect((await call('/drain', { method: 'POST', token: user })).status).toBe(403);
    expect((await call('/drain', { method: 'POST', token: stack.anonKey })).status).toBe(401);
  });
});

describe('GET /jobs/queues', () => {
  it('reports depth, activity, failures, dead letters and the oldest waiting job of every queue', async () => {
    await admin.query(`delete from pgboss.job where name = 'test.slow' and state < 'active'`);
    await stack.services.jobs.send(slowJob, { n: 200 });
    await admin.query(
      `update pgboss.job set start_after = now() - interval '30 seconds' where name = 'test.slow' and state = 'created'`,
    );
    const response = await call('/queues');
    expect(response.status).toBe(200);
    const { queues } = await response.json();
    expect(queues.map((q: { queue: string }) => q.queue)).toEqual(
      expect.arrayContaining(['ai.route_ai_tasks', 'ai.monitor_ai_processing', 'test.slow']),
    );
    const slow = queues.find((q: { queue: string }) => q.queue === 'test.slow');
    expect(slow).toMatchObject({
      deadLetter: 'test.slow.dead',
      queued: 1,
      ready: 1,
      active: 0,
      deadLettered: 0,
    });
    expect(slow.oldestReadySeconds).toBeGreaterThanOrEqual(30);
  });

  it('is documented in the function’s OpenAPI document', async () => {
    const response = await call('/openapi.json');
    const doc = await response.json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/jobs/queues', '/jobs/drain']));
  });
});
