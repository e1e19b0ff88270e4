// One heavy user's batch runs on the background-work pool; interactive requests have a pool of their own. While
// a 150-document batch keeps every work connection busy, another user's requests are all answered (no 503),
// and the work pool never grows past its size. Prints the interactive latency during the batch against the same
// requests before it (the anchor, same run).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  type ClassificationStack,
  classification,
  classifyingResponder,
  documentOf,
  fakeOpenAiEnv,
  startClassificationStack,
  waitForBatch,
} from '../support/classification-harness.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';
import { newUser, type TestUser } from '../support/harness.ts';

const TOTAL = 150;
const WORK_POOL = 2;
let fake: FakeOpenAi;
let env: ClassificationStack;

beforeAll(async () => {
  const answer = classifyingResponder(() => ({ category: 'sales', confidence: 0.9 }));
  fake = await startFakeOpenAi((request) => ({
    ...answer(request),
    delayMs: 20 + (Number(documentOf(request).match(/\d+/)?.[0] ?? 0) % 5) * 20,
  }));
  env = await startClassificationStack(
    fakeOpenAiEnv(fake, {
      DB_WORK_POOL_MAX: String(WORK_POOL),
      AI_RATE_LIMIT_TPM: '100000000',
      AI_CACHE_TTL_SECONDS: '0',
    }),
  );
});
afterAll(async () => {
  await env.stop();
  await fake.stop();
});

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))]!;

/** `n` interactive requests of `user` one after another: their statuses and latencies. */
async function interactive(user: TestUser, batchId: string, n: number) {
  const statuses: number[] = [];
  const latencies: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const response = await classification(env.stack, user, 'GET', `/batches/${batchId}?limit=1`);
    latencies.push(performance.now() - started);
    statuses.push(response.status);
  }
  return { statuses, latencies };
}

describe('one heavy user and the connection pools', () => {
  it("cannot starve another user's requests", { timeout: 180_000 }, async () => {
    const { stack } = env;
    const heavy = await newUser(stack);
    const other = await newUser(stack);
    const own = await classification(stack, other, 'POST', '/batch', {
      documents: [{ text: 'A light note.' }],
      categories: CATEGORIES,
      stages: [{ type: 'llm' }],
    });
    await waitForBatch(stack, other, own.body.id);
    const idle = await interactive(other, own.body.id, 40);

    const submitted = await classification(stack, heavy, 'POST', '/batch', {
      documents: Array.from({ length: TOTAL }, (_, i) => ({ text: `Heavy note ${i}.` })),
      categories: CATEGORIES,
      stages: [{ type: 'llm' }],
    });
    expect(submitted.status).toBe(202);
    // Wait until the batch is in full swing: items settling, the work pool in use.
    for (;;) {
      const { body } = await classification(stack, heavy, 'GET', `/batches/${submitted.body.id}?limit=1`);
      if (body.counts?.done >= 10) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const busy = await interactive(other, own.body.id, 100);
    const workPeak = stack.services.work.db.pool.totalCount;
    const done = await waitForBatch(stack, heavy, submitted.body.id, 150_000);

    console.log(
      `pools: interactive p50/p99 ${percentile(idle.latencies, 0.5).toFixed(0)}/${percentile(idle.latencies, 0.99).toFixed(0)} ms idle, ` +
        `${percentile(busy.latencies, 0.5).toFixed(0)}/${percentile(busy.latencies, 0.99).toFixed(0)} ms during a ${TOTAL}-document batch ` +
        `(p99 ratio ${(percentile(busy.latencies, 0.99) / percentile(idle.latencies, 0.99)).toFixed(2)}); work pool ${workPeak}/${WORK_POOL} connections; ` +
        `${done.counts.done}/${TOTAL} items done`,
    );
    expect(done).toMatchObject({ status: 'completed', counts: { done: TOTAL, failed: 0 } });
    expect(busy.statuses.every((status) => status === 200)).toBe(true);
    expect(workPeak).toBeLessThanOrEqual(WORK_POOL);
  });
});
