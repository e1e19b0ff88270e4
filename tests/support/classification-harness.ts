// Helpers of the classification tests: users with tokens, documents, and calls to the `classification` function
// through supabase-js (`functions.invoke`), as the frontend makes them.
import { FunctionsHttpError } from '@supabase/supabase-js';
import pg from 'pg';
import { registerClassificationJobHandlers } from '../../shared/classification/batch-jobs.ts';
import { type RunningWorker, startJobWorker } from '../../shared/jobs/worker-runtime.ts';
import { createUser } from './db.ts';
import type { FakeOpenAi, FakeReply, RecordedOpenAiRequest } from './fake-openai.ts';
import { startTestStack, type TestStack } from './stack.ts';

export interface TestUser {
  id: string;
  token: string;
}

/** A new signed-up user and a session token for them. */
export async function newUser(stack: TestStack): Promise<TestUser> {
  const id = await createUser(stack.database.url);
  return { id, token: await stack.userToken(id) };
}

/** Runs `fn` with a client connected as the database owner (bypasses RLS: for setup and inspection). */
export async function asOwner<T>(url: string, fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Inserts a document for a user as the database owner (as an upload would) and returns its id. */
export async function createDocument(url: string, userId: string, content: string): Promise<string> {
  const { rows } = await asOwner(url, (db) =>
    db.query<{ id: string }>(`insert into public.documents (user_id, content) values ($1, $2) returning id`, [
      userId,
      content,
    ]),
  );
  return rows[0]!.id;
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field in the tests.
export type Json = any;

/** Calls `classification/<path>` as `user` with supabase-js; answers the status and the parsed body. */
export async function classification(
  stack: TestStack,
  user: TestUser,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const { data, error, response } = await stack.client(user.token).functions.invoke(`classification${path}`, {
    method,
    ...(body === undefined ? {} : { body: body as object }),
  });
  if (error instanceof FunctionsHttpError) {
    const failed = error.context as Response;
    return { status: failed.status, body: await failed.json() };
  }
  if (error) throw error;
  return { status: response?.status ?? 200, body: data };
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
