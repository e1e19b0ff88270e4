// Jobs with no worker, as on hosted Supabase: a request that sends work drains it in its own background, a
// drain past its CPU or wall budget hands over to a fresh invocation of the jobs function, and the cron drain
// (local/cron.ts, as pg_net does hosted) picks up work nobody kicked. The drain slots cap how many run at once.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { startLocalCron } from '../../local/cron.ts';
import { signToken } from '../../local/keys.ts';
import { batchJob } from '../../shared/classification/batch-contract.ts';
import { submitBatch } from '../../shared/classification/batch-service.ts';
import { createClassificationDeps } from '../../shared/classification/deps.ts';
import { defineJob } from '../../shared/jobs/contract.ts';
import {
  CATEGORIES,
  classification,
  classifyingResponder,
  documentOf,
  fakeOpenAiEnv,
} from '../support/classification-harness.ts';
import { testDatabaseUrl } from '../support/db.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';
import { newUser } from '../support/harness.ts';
import { createTestQueue } from '../support/jobs.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let admin: pg.Client;
let fake: FakeOpenAi;
/** How long the fake OpenAI takes to answer: long enough that a chunk outlasts a short drain. */
const ANSWER_MS = 800;

// Burns `cpuMs` of CPU (a busy loop), as a CPU-bound handler (the offline model) does.
const burnJob = defineJob('test.burn', z.object({ n: z.number().int(), cpuMs: z.number().int() }));
// Waits `ms` (I/O, no CPU), honouring its signal.
const waitJob = defineJob('test.wait', z.object({ n: z.number().int(), ms: z.number().int() }));

beforeAll(async () => {
  const serviceKey = await signToken({ role: 'service_role' });
  const answer = classifyingResponder(() => ({ category: 'support', confidence: 0.9 }));
  fake = await startFakeOpenAi((request) => ({ ...answer(request), delayMs: ANSWER_MS }));
  stack = await startTestStack({
    JOB_DRAIN_ON_SEND: 'true',
    SUPABASE_SERVICE_ROLE_KEY: serviceKey,
    // The pace is not what this file is about: the provider answers in ANSWER_MS, with no waiting for a start.
    ...fakeOpenAiEnv(fake, { AI_RATE_LIMIT_RPM: '60000' }),
  });
  admin = new pg.Client({ connectionString: stack.database.url });
  await admin.connect();
  await createTestQueue(stack.services, burnJob.queue, { retryLimit: 3, retryDelay: 0 });
  await createTestQueue(stack.services, waitJob.queue, { retryLimit: 3, retryDelay: 0 });
  stack.services.jobs.registry.register(
    burnJob,
    async (data) => {
      // CPU time, not wall time: under load a busy loop gets less of the CPU than the clock says.
      const started = process.cpuUsage();
      for (;;) {
        const used = process.cpuUsage(started);
        if ((used.user + used.system) / 1000 >= data.cpuMs) break;
      }
      return { n: data.n };
    },
    { concurrency: 4 },
  );
  stack.services.jobs.registry.register(
    waitJob,
    async (data, job) => {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, data.ms);
        job.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(job.signal.reason);
        });
      });
      return { n: data.n };
    },
    { concurrency: 8 },
  );
});
afterAll(async () => {
  await admin.end();
  await stack.stop();
  await fake.stop();
});

async function states(queue: string): Promise<Record<string, number>> {
  const { rows } = await admin.query(
    'select state, count(*)::int as n from pgboss.job where name = $1 group by state',
    [queue],
  );
  return Object.fromEntries(rows.map((row) => [row.state, row.n]));
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Counts the drains started over HTTP (hand-overs call the jobs function like pg_net does). */
function countDrainCalls() {
  const spy = vi.spyOn(globalThis, 'fetch');
  return {
    count: () =>
      spy.mock.calls.filter(([input]) =>
        String(input instanceof Request ? input.url : input).endsWith('/jobs/drain'),
      ).length,
    restore: () => spy.mockRestore(),
  };
}

function drainRequest(body: unknown) {
  return fetch(`${stack.url}/functions/v1/jobs/drain`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${stack.serviceKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('jobs without a worker', () => {
  it('starts a job sent by a request within 2 s, in the background of that request', async () => {
    const owner = await newUser(stack);
    const submitted = await classification(stack, owner, 'POST', '/batch', {
      documents: [{ text: 'The app shows an error and then a crash' }, { text: 'Please send the invoice' }],
      categories: CATEGORIES,
      stages: [{ type: 'rules' }],
    });
    expect(submitted.status).toBe(202);
    const id = submitted.body.id;
    const batch = await until('the batch to finish', async () => {
      const { body } = await classification(stack, owner, 'GET', `/batches/${id}`);
      return body.status === 'completed' ? body : undefined;
    });
    expect(batch.counts).toMatchObject({ total: 2, done: 2, failed: 0 });
    const { rows } = await admin.query(
      `select extract(epoch from started_on - created_on) * 1000 as start_ms, state
       from pgboss.job where name = 'ai.process_classification_batch' and data->>'batchId' = $1
       order by created_on`,
      [id],
    );
    // The batch's first job (sent by the request) and its chunk job (sent by the first, in the same drain).
    expect(rows.map((row) => row.state)).toEqual(['completed', 'completed']);
    expect(Number(rows[0].start_ms)).toBeLessThan(2000);
    // Nothing is left holding a drain slot.
    await stack.services.platform.settle();
    const slots = await admin.query(
      'select count(*)::int as n from app_private.job_drain_slots where holder is not null',
    );
    expect(slots.rows[0].n).toBe(0);
  });

  it('hands over to a fresh drain when one reaches its CPU budget, and the rest is done', async () => {
    const calls = countDrainCalls();
    try {
      for (let n = 0; n < 24; n++) await stack.services.jobs.send(burnJob, { n, cpuMs: 40 });
      const response = await drainRequest({ background: true, cpuMs: 150, queues: [burnJob.queue] });
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({ started: true, slots: 4 });
      await until('every burn job to complete', async () =>
        (await states(burnJob.queue)).completed === 24 ? true : undefined,
      );
      await stack.services.platform.settle();
      // 24 x 40 ms of CPU in drains allowed 150 ms each (one job in flight per drain, a quarter of 4): at least
      // five drains, each started by a call to the jobs function (the first by this test).
      expect(calls.count()).toBeGreaterThanOrEqual(5);
      expect(await states(burnJob.queue)).toEqual({ completed: 24 });
    } finally {
      calls.restore();
    }
  }, 60_000);

  it('hands over when a drain reaches its wall-clock budget, and the rest is done', async () => {
    const calls = countDrainCalls();
    try {
      for (let n = 0; n < 24; n++) await stack.services.jobs.send(waitJob, { n, ms: 400 });
      const response = await drainRequest({ background: true, budgetMs: 1000, queues: [waitJob.queue] });
      expect(response.status).toBe(202);
      await until('every wait job to complete', async () =>
        (await states(waitJob.queue)).completed === 24 ? true : undefined,
      );
      await stack.services.platform.settle();
      // Two at a time (8 shared by 4 slots), 400 ms each, 1 s drains: a dozen drains, none failing a job.
      expect(calls.count()).toBeGreaterThanOrEqual(3);
      expect(await states(waitJob.queue)).toEqual({ completed: 24 });
    } finally {
      calls.restore();
    }
  }, 60_000);

  it('a drain at its budget mid-chunk lets the items under way finish and hands on the rest, each item paid and settled once, none retried', async () => {
    // Only the drain asked for below and its hand-overs run (all with its short budgets): no drain starts after
    // a request during which some drain happened to send a job (the hook sees the process's count change).
    const afterRequest = stack.services.afterRequest;
    stack.services.afterRequest = undefined;
    try {
      await wrapUpMidChunk();
    } finally {
      stack.services.afterRequest = afterRequest;
    }
  }, 150_000);

  async function wrapUpMidChunk() {
    const owner = await newUser(stack);
    const documents = Array.from({ length: 50 }, (_, i) => ({ text: `wrap-up ${i}: the export fails` }));
    // Sent outside a request, so no drain starts for it: the drain below and its hand-overs run it.
    const batch = await submitBatch(
      createClassificationDeps(stack.services),
      { role: 'authenticated', sub: owner.id, aud: 'authenticated' },
      { documents, categories: CATEGORIES, stages: [{ type: 'llm' }] },
    );
    // Drains stop taking work after 200 ms of CPU (this process's, shared among the drains running), or after
    // 3.5 s of their 6 s (1 s kept back, 1.5 s to wind down), whichever comes first; a chunk of 25 items, five at
    // a time at 800 ms an answer, takes at least 4 s: every chunk is cut by a drain's budget at least once. What
    // is under way then has 1.7 s of CPU (no less wall time) or 1.5 s until it would be stopped.
    const response = await drainRequest({
      background: true,
      budgetMs: 6000,
      cpuMs: 200,
      queues: [batchJob.queue],
    });
    expect(response.status).toBe(202);
    const done = await until(
      'the batch to finish',
      async () => {
        const { rows } = await admin.query(
          'select status, done_items, failed_items from classification_batches where id = $1',
          [batch.id],
        );
        return rows[0].status === 'queued' || rows[0].status === 'running' ? undefined : rows[0];
      },
      120_000,
    );
    expect(done).toEqual({ status: 'completed', done_items: 50, failed_items: 0 });
    await stack.services.platform.settle();

    const jobs = await admin.query<{ range: string | null; state: string; retry_count: number }>(
      `select (data->>'from') || '-' || (data->>'to') as range, state, retry_count from pgboss.job
        where name = $1 and data->>'batchId' = $2 order by created_on, (data->>'from')::int nulls first`,
      [batchJob.queue, batch.id],
    );
    // The first job, its two chunks, and the chunk jobs the drains that stopped mid-chunk sent for the rest.
    expect(jobs.rows.slice(0, 3).map((row) => row.range)).toEqual([null, '0-24', '25-49']);
    expect(jobs.rows.length).toBeGreaterThan(3);
    // No attempt was stopped and failed: nothing waited out a retry delay.
    for (const job of jobs.rows) expect(job).toMatchObject({ state: 'completed', retry_count: 0 });
    // Every answer the provider gave was used: one request per item, one settlement per item.
    const asked = fake.requests.filter((request) => documentOf(request).startsWith('wrap-up '));
    expect(asked).toHaveLength(50);
    const results = await admin.query(
      'select attempts, count(*)::int as n from classification_results where batch_id = $1 group by attempts',
      [batch.id],
    );
    expect(results.rows).toEqual([{ attempts: 1, n: 50 }]);
  }

  it('starts no drain when every slot is held; the drains holding them carry on', async () => {
    await admin.query(
      `update app_private.job_drain_slots set holder = gen_random_uuid(), lease_until = now() + interval '1 minute'`,
    );
    try {
      const response = await drainRequest({ background: true });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ started: false });
    } finally {
      await admin.query('update app_private.job_drain_slots set holder = null, lease_until = null');
    }
    const bad = await drainRequest({ background: 'yes' });
    expect(bad.status).toBe(400);
  });

  it('a cron-started drain picks up work nobody kicked', async () => {
    // Sent outside any request: no drain starts for it.
    const id = await stack.services.jobs.send(waitJob, { n: 1000, ms: 10 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await admin.query('select state from pgboss.job where id = $1', [id])).rows[0].state).toBe(
      'created',
    );
    const cron = await startLocalCron({
      services: stack.services,
      drainUrl: `${stack.url}/functions/v1/jobs`,
      serviceRoleKey: stack.serviceKey,
      drainEverySeconds: 1,
    });
    try {
      await until('the cron drain to run the job', async () => {
        const { rows } = await admin.query('select state from pgboss.job where id = $1', [id]);
        return rows[0].state === 'completed' ? true : undefined;
      });
      expect(cron.counts.drains).toBeGreaterThanOrEqual(1);
    } finally {
      await cron.stop();
      await stack.services.platform.settle();
    }
  });
});

describe('shutting down', () => {
  // Last: the stack's background work stays stopped afterwards.
  it('stops its background drains at once; the jobs they ran come back for retry', async () => {
    const id = await stack.services.jobs.send(waitJob, { n: 2000, ms: 60_000 });
    expect((await drainRequest({ background: true, queues: [waitJob.queue] })).status).toBe(202);
    await until('the job to start', async () => {
      const { rows } = await admin.query('select state from pgboss.job where id = $1', [id]);
      return rows[0].state === 'active' ? true : undefined;
    });
    const started = performance.now();
    await stack.services.platform.shutdown();
    expect(performance.now() - started).toBeLessThan(5000);
    const { rows } = await admin.query('select state, output from pgboss.job where id = $1', [id]);
    expect(rows[0]).toMatchObject({ state: 'retry', output: { error: { name: 'AttemptAbortedError' } } });
    expect((await drainRequest({ background: true })).status).toBe(200);
  });
});

describe('the drain schedule', () => {
  it('is every 10 seconds where pg_cron takes seconds (1.5+), else every minute', async () => {
    const client = new pg.Client({
      connectionString: testDatabaseUrl(process.env.TEST_CRON_DB ?? 'ai_cron'),
    });
    await client.connect();
    try {
      const { rows } = await client.query(
        `select app_private.job_drain_cron() as cron,
                (select extversion from pg_extension where extname = 'pg_cron') as version`,
      );
      const [major, minor] = String(rows[0].version ?? '0.0')
        .split('.')
        .map(Number);
      const seconds = major! > 1 || (major === 1 && minor! >= 5);
      expect(rows[0].cron).toBe(seconds ? '10 seconds' : '* * * * *');
    } finally {
      await client.end();
    }
  });
});
