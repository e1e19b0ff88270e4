// One user's batch against a pool far too small for it: requests and jobs wait for connections and some give up
// (503, job retries), but no AI call goes unlogged: each call's log row is retried until the pool has room, and
// the in-flight row written before the call is deleted in the log row's transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../support/ai-logs.ts';
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
import { newUser } from '../support/harness.ts';

const TOTAL = 60;
let fake: FakeOpenAi;
let env: ClassificationStack;

beforeAll(async () => {
  const answer = classifyingResponder(() => ({ category: 'sales', confidence: 0.9 }));
  fake = await startFakeOpenAi((request) => ({
    ...answer(request),
    delayMs: 20 + (Number(documentOf(request).match(/\d+/)?.[0] ?? 0) % 5) * 20,
  }));
  // Requests: two connections, given up on after 50 ms; the batch's work: one, given up on after 250 ms. The
  // batch's 60 concurrent items cannot all have one.
  env = await startClassificationStack(
    fakeOpenAiEnv(fake, {
      DB_POOL_MAX: '2',
      DB_POOL_TIMEOUT_MS: '50',
      DB_WORK_POOL_MAX: '1',
      DB_WORK_POOL_TIMEOUT_MS: '250',
      AI_RATE_LIMIT_TPM: '100000000',
      AI_CACHE_TTL_SECONDS: '0',
    }),
  );
});
afterAll(async () => {
  await env.stop();
  await fake.stop();
});

describe('an AI call under pool exhaustion', () => {
  it('has its log row, every one of the batch', { timeout: 120_000 }, async () => {
    const { stack } = env;
    const owner = await newUser(stack);
    let submitted = await classification(stack, owner, 'POST', '/batch', {
      documents: Array.from({ length: TOTAL }, (_, i) => ({ text: `Pressure note ${i}.` })),
      categories: CATEGORIES,
      stages: [{ type: 'llm' }],
    });
    // The pool may refuse the submission itself (503, Retry-After): the client retries, as told.
    while (submitted.status === 503) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      submitted = await classification(stack, owner, 'POST', '/batch', {
        documents: Array.from({ length: TOTAL }, (_, i) => ({ text: `Pressure note ${i}.` })),
        categories: CATEGORIES,
        stages: [{ type: 'llm' }],
      });
    }
    expect(submitted.status).toBe(202);
    const done = await waitForBatch(stack, owner, submitted.body.id, 100_000);
    expect(done).toMatchObject({ status: 'completed', counts: { total: TOTAL, done: TOTAL, failed: 0 } });

    const [logged] = await query<{ calls: string; in_flight: string }>(
      stack.database.url,
      `select (select count(*) from public.ai_processing_logs
                where user_id = $1 and provider = 'openai' and status in ('success', 'error')) as calls,
              (select count(*) from ai_private.ai_calls_in_flight where user_id = $1) as in_flight`,
      [owner.id],
    );
    const refusals = await query<{ n: string }>(
      stack.database.url,
      `select count(*) as n from classification_results where batch_id = $1 and attempts > 1`,
      [submitted.body.id],
    );
    console.log(
      `pool exhaustion: ${fake.requests.length} provider calls, ${logged!.calls} logged, ${logged!.in_flight} left in flight, ${refusals[0]!.n} items redone`,
    );
    // Every call the provider answered has its log row: none dropped, none left in flight.
    expect(fake.requests.length).toBeGreaterThanOrEqual(TOTAL);
    expect(Number(logged!.calls)).toBe(fake.requests.length);
    expect(Number(logged!.in_flight)).toBe(0);
  });
});
