// Helpers of the classification tests: calls to the `classification` function through supabase-js
// (`functions.invoke`), as the frontend makes them, fake OpenAI answers, batches (users and documents: harness.ts).
import { registerClassificationJobHandlers } from '../../shared/classification/batch-jobs.ts';
import { type RunningWorker, startJobWorker } from '../../shared/jobs/worker-runtime.ts';
import type { FakeOpenAi, FakeReply, RecordedOpenAiRequest } from './fake-openai.ts';
import { invokeFunction, type Json, type TestUser } from './harness.ts';
import { startTestStack, type TestStack } from './stack.ts';

/** Calls `classification/<path>` as `user` with supabase-js; answers the status and the parsed body. */
export async function classification(
  stack: TestStack,
  user: TestUser,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const { status, body: parsed } = await invokeFunction(
    stack.client(user.token),
    `classification${path}`,
    method,
    body,
  );
  return { status, body: parsed };
}

export const CATEGORIES = [
  {
    name: 'billing',
    description: 'Invoices, payments and refunds',
    keywords: ['invoice', 'refund', 'payment'],
  },
  { name: 'support', description: 'Errors and broken things', keywords: ['error', 'crash', 'bug'] },
  { name: 'sales', description: 'Buying more, pricing, quotes', keywords: ['quote', 'pricing', 'upgrade'] },
];

/** The document text of a request the OpenAI provider sent (between its <document> tags). */
export function documentOf(request: RecordedOpenAiRequest): string {
  const messages = request.body.messages as { role: string; content: string }[];
  const user = messages.find((message) => message.role === 'user')?.content ?? '';
  return user.match(/<document>\n([\s\S]*)\n<\/document>/)?.[1] ?? '';
}

/** A fake OpenAI that classifies with `decide` and refuses anything but classification with a 400. */
export function classifyingResponder(
  decide: (text: string) => { category: string; confidence: number } | FakeReply,
): (request: RecordedOpenAiRequest) => FakeReply {
  return (request) => {
    if (request.schemaName !== 'classification') {
      return { status: 400, body: { error: { message: `unexpected ${request.schemaName} request` } } };
    }
    const decision = decide(documentOf(request));
    if (!('category' in decision)) return decision;
    return { content: { ...decision, alternatives: [], reasoning: 'fake' } };
  };
}

/** The environment that points the AI service at a fake OpenAI. */
export function fakeOpenAiEnv(fake: FakeOpenAi, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AI_PROVIDER: 'openai',
    OPENAI_API_KEY: fake.apiKey,
    OPENAI_BASE_URL: fake.baseUrl,
    OPENAI_MODEL: 'gpt-4.1-mini',
    ...extra,
  };
}

/** Polls a batch through the API until it finishes (or `timeoutMs` passes). */
export async function waitForBatch(
  stack: TestStack,
  user: TestUser,
  id: string,
  timeoutMs = 60_000,
): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await classification(stack, user, 'GET', `/batches/${id}?limit=1`);
    if (['completed', 'completed_with_errors', 'failed'].includes(body.status)) return body;
    if (Date.now() > deadline)
      throw new Error(`batch ${id} still ${body.status}: ${JSON.stringify(body.counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every result of a batch, read page by page through the API. */
export async function allResults(
  stack: TestStack,
  user: TestUser,
  id: string,
  pageSize = 25,
): Promise<Json[]> {
  const results: Json[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const { body } = await classification(
      stack,
      user,
      'GET',
      `/batches/${id}?limit=${pageSize}&offset=${offset}`,
    );
    results.push(...body.results.items);
    if (body.results.items.length < pageSize) return results;
  }
}

/** Tests poll batches several times a second: more than the per-user request limit allows by default. */
export const POLLING_ENV = { USER_RATE_LIMIT_PER_MINUTE: '100000' };

export interface ClassificationStack {
  stack: TestStack;
  worker: RunningWorker;
  stop(): Promise<void>;
}

/** The test stack with the classification job handlers and a supervising job worker in-process. */
export async function startClassificationStack(env: Record<string, string>): Promise<ClassificationStack> {
  const stack = await startTestStack({ ...POLLING_ENV, ...env });
  registerClassificationJobHandlers(stack.services);
  const worker = await startJobWorker(stack.services, {
    databaseUrl: stack.database.url,
    schedules: false,
    pollIntervalMs: 100,
    superviseIntervalSeconds: 1,
  });
  return {
    stack,
    worker,
    async stop() {
      await worker.stop(1000);
      await stack.services.jobs.close();
      await stack.stop();
    },
  };
}
