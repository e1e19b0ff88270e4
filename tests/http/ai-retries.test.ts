// A batch that meets the provider's 429s and finally classifies every item: the waits are retries on the calls'
// log rows (count and wait time), not errors, so the error rate is 0 and ai.monitor_ai_processing raises no
// error_rate alert; the rate counts only calls whose final status is `error`.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/http/logger.ts';
import { parsePayload } from '../../shared/jobs/contract.ts';
import { startJobWorker } from '../../shared/jobs/worker-runtime.ts';
import { executeWorkflowJob } from '../../shared/workflows/job-contracts.ts';
import { registerWorkflowJobs } from '../../shared/workflows/jobs.ts';
import { query } from '../support/ai-logs.ts';
import {
  CATEGORIES,
  type ClassificationStack,
  classification,
  classifyingResponder,
  fakeOpenAiEnv,
  startClassificationStack,
  waitForBatch,
} from '../support/classification-harness.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';
import { createDocument, newUser, type TestUser } from '../support/harness.ts';
import { api, waitForExecution } from '../support/workflows-harness.ts';

const TOTAL = 20;
const LIMITED = 30;
let fake: FakeOpenAi;
let env: ClassificationStack;

beforeAll(async () => {
  const answer = classifyingResponder(() => ({ category: 'sales', confidence: 0.9 }));
  // The first 30 requests are told to wait 20 ms; the rest are answered.
  fake = await startFakeOpenAi((request) =>
    fake.requests.length <= LIMITED
      ? {
          status: 429,
          headers: { 'retry-after-ms': '20' },
          body: { error: { message: 'Rate limit reached' } },
        }
      : answer(request),
  );
  // One retry inside the provider: most 429 runs outlast it and reach the pipeline's own patience.
  env = await startClassificationStack(
    fakeOpenAiEnv(fake, { OPENAI_MAX_RETRIES: '1', AI_CACHE_TTL_SECONDS: '0' }),
  );
});
afterAll(async () => {
  await env.stop();
  await fake.stop();
});

describe('a batch that meets 429s', () => {
  it('shows an error rate of 0 and raises no alert when no item failed', { timeout: 90_000 }, async () => {
    const { stack } = env;
    const owner = await newUser(stack);
    const submitted = await classification(stack, owner, 'POST', '/batch', {
      documents: Array.from({ length: TOTAL }, (_, i) => ({ text: `Limited note ${i}.` })),
      categories: CATEGORIES,
      stages: [{ type: 'llm' }],
    });
    expect(submitted.status).toBe(202);
    const done = await waitForBatch(stack, owner, submitted.body.id, 60_000);
    expect(done).toMatchObject({ status: 'completed', counts: { total: TOTAL, done: TOTAL, failed: 0 } });

    const [logged] = await query<{ calls: number; errors: number; retries: number; wait_ms: number }>(
      stack.database.url,
      `select count(*)::int as calls, (count(*) filter (where status = 'error'))::int as errors,
              sum(retries)::int as retries, sum(retry_wait_ms)::int as wait_ms
         from public.ai_processing_logs where user_id = $1`,
      [owner.id],
    );
    console.log(
      `429s: ${fake.requests.length} provider requests (${LIMITED} answered 429), ${logged!.calls} calls logged, ${logged!.errors} errors, ${logged!.retries} retries, ${logged!.wait_ms} ms waited`,
    );
    // One row per item, every 429 a retry on it.
    expect(logged).toMatchObject({ calls: TOTAL, errors: 0, retries: LIMITED });
    expect(logged!.wait_ms).toBeGreaterThanOrEqual(LIMITED * 20);

    const response = await fetch(`${stack.url}/functions/v1/ai/metrics?window=1h`, {
      headers: { Authorization: `Bearer ${owner.token}` },
    });
    const body = await response.json();
    expect(body.totals).toMatchObject({ calls: TOTAL, errors: 0, errorRate: 0 });

    const monitor = stack.services.jobs.registry.get('ai.monitor_ai_processing')!;
    await monitor.handler(
      {},
      {
        id: randomUUID(),
        queue: 'ai.monitor_ai_processing',
        retryCount: 0,
        signal: new AbortController().signal,
        logger: createLogger('error'),
      },
    );
    const alerts = await query<{ kind: string }>(
      stack.database.url,
      'select kind from public.ai_alerts where user_id = $1',
      [owner.id],
    );
    expect(alerts).toEqual([]);
  });
});

// The same waits met by work outside a batch: the single-document job and a workflow's AI step pass the
// background patience too (backgroundPatienceMs, shared/ai/pipeline.ts), so each 429 is a retry on the call's
// one row, not an error row per wait and a job retry.
describe('a single-document job and a workflow AI step that meet 429s', () => {
  const tooMany = {
    status: 429,
    headers: { 'retry-after-ms': '20' },
    body: { error: { message: 'Rate limit reached' } },
  };

  async function rows(user: TestUser) {
    const [logged] = await query<{ calls: number; errors: number; retries: number }>(
      env.stack.database.url,
      `select count(*)::int as calls, (count(*) filter (where status = 'error'))::int as errors,
              coalesce(sum(retries), 0)::int as retries
         from public.ai_processing_logs where user_id = $1`,
      [user.id],
    );
    return logged!;
  }

  it('ai.classify_document_enhanced logs one call with its retries and no error', async () => {
    const { stack } = env;
    const owner = await newUser(stack);
    const job = stack.services.jobs.registry.get('ai.classify_document_enhanced')!;
    // Three 429s, more than the provider's one retry: the pipeline waits out the rest.
    fake.script(tooMany, tooMany, tooMany);
    const before = fake.requests.length;
    const payload = {
      userId: owner.id,
      request: { text: 'A quote for the upgrade.', categories: CATEGORIES, stages: [{ type: 'llm' }] },
    };
    const result = (await job.handler(parsePayload(job, payload), {
      id: randomUUID(),
      queue: job.queue,
      retryCount: 0,
      signal: new AbortController().signal,
      logger: createLogger('error'),
    })) as { status: string; category: string };
    expect(result).toMatchObject({ status: 'completed', category: 'sales' });
    const logged = await rows(owner);
    console.log(
      `document job, 429s: ${fake.requests.length - before} provider requests (3 answered 429), ${logged.calls} calls logged, ${logged.errors} errors, ${logged.retries} retries`,
    );
    expect(logged).toEqual({ calls: 1, errors: 0, retries: 3 });
  });

  it('a workflow classification step logs one call with its retries and no error', {
    timeout: 60_000,
  }, async () => {
    const { stack } = env;
    const owner = await newUser(stack);
    registerWorkflowJobs(stack.services, { leaseGraceSeconds: 1 });
    const worker = await startJobWorker(stack.services, {
      databaseUrl: stack.database.url,
      queues: [executeWorkflowJob.queue],
      pollIntervalMs: 100,
      schedules: false,
    });
    try {
      const workflow = await api(stack, owner, 'POST', '/workflows', {
        name: 'Limited',
        steps: [{ id: 'classify', type: 'classification', config: { categories: CATEGORIES } }],
      });
      expect(workflow.status).toBe(201);
      const documentId = await createDocument(
        stack.database.url,
        owner.id,
        'A quote for the upgrade.',
        'Quote',
      );
      fake.script(tooMany, tooMany, tooMany);
      const before = fake.requests.length;
      const started = await api(stack, owner, 'POST', `/workflows/${workflow.body.id}/execute`, {
        documentId,
      });
      const done = await waitForExecution(
        stack,
        owner,
        started.body.executionId,
        ['completed', 'failed'],
        45_000,
      );
      expect(done.status).toBe('completed');
      const logged = await rows(owner);
      console.log(
        `workflow step, 429s: ${fake.requests.length - before} provider requests (3 answered 429), ${logged.calls} calls logged, ${logged.errors} errors, ${logged.retries} retries`,
      );
      expect(logged).toEqual({ calls: 1, errors: 0, retries: 3 });
    } finally {
      await worker.stop(1000);
    }
  });
});
