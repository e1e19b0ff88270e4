// Helpers of the workflow tests: users with tokens, documents, calls to the `workflows` function, polling.
import pg from 'pg';
import { LOCAL_JWT_SECRET } from '../../local/keys.ts';
import { startJobWorker } from '../../shared/jobs/worker-runtime.ts';
import { closeServices, createServices } from '../../shared/runtime.ts';
import type { AppServices } from '../../shared/services.ts';
import type { CleanupSummary } from '../../shared/workflows/cleanup.ts';
import { cleanupExpiredWorkflowsJob, executeWorkflowJob } from '../../shared/workflows/job-contracts.ts';
import { registerWorkflowJobs } from '../../shared/workflows/jobs.ts';
import { createUser } from './db.ts';
import type { TestStack } from './stack.ts';

export interface TestUser {
  id: string;
  token: string;
}

/** A new signed-up user and a session token for them. */
export async function newUser(stack: TestStack): Promise<TestUser> {
  const id = await createUser(stack.database.url);
  return { id, token: await stack.userToken(id) };
}

/** Inserts a document for a user as the database owner (as an upload would) and returns its id. */
export async function createDocument(
  stack: TestStack,
  userId: string,
  content: string,
  title: string | null = null,
): Promise<string> {
  const { rows } = await owner(stack, (db) =>
    db.query<{ id: string }>(
      `insert into public.documents (user_id, title, content) values ($1, $2, $3) returning id`,
      [userId, title, content],
    ),
  );
  return rows[0]!.id;
}

/** Runs `fn` with a client connected as the database owner (bypasses RLS: for setup and inspection). */
export async function owner<T>(stack: TestStack, fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: stack.database.url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field in the tests.
export type Json = any;

/** Calls the `workflows` function as `user` the way a browser would, returning status and parsed body. */
export async function api(
  stack: TestStack,
  user: TestUser,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${stack.url}/functions/v1${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${user.token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Polls an execution until its status is one of `statuses`; returns its detail (with the step trace). */
export async function waitForExecution(
  stack: TestStack,
  user: TestUser,
  executionId: string,
  statuses: string[],
  timeoutMs = 30_000,
): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api(stack, user, 'GET', `/workflows/executions/${executionId}`);
    if (statuses.includes(body?.status)) return body;
    if (Date.now() > deadline) {
      throw new Error(
        `execution stayed ${body?.status}, expected ${statuses.join('|')}: ${JSON.stringify(body)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls until `check` returns a value other than undefined. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface WorkflowWorker {
  services: AppServices;
  stop(): Promise<void>;
}

/**
 * A job worker for the two workflow queues over the stack's database, as `npm run worker` runs it, in this
 * process, with a short lease grace.
 */
export async function startWorkflowWorker(
  stack: TestStack,
  options: { pollIntervalMs?: number; dbPoolMax?: number } = {},
): Promise<WorkflowWorker> {
  const services = createServices({
    DATABASE_URL: stack.database.url,
    JWT_SECRET: LOCAL_JWT_SECRET,
    LOG_LEVEL: 'error',
    DB_POOL_MAX: String(options.dbPoolMax ?? 10),
    // The test receivers listen on loopback.
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  });
  registerWorkflowJobs(services, { leaseGraceSeconds: 1 });
  const running = await startJobWorker(services, {
    databaseUrl: stack.database.url,
    queues: [executeWorkflowJob.queue, cleanupExpiredWorkflowsJob.queue],
    pollIntervalMs: options.pollIntervalMs ?? 200,
    schedules: false,
  });
  return {
    services,
    async stop() {
      await running.stop(2000);
      await closeServices(services);
    },
  };
}

/** Sends an extra `ai.execute_document_workflow` job for an execution (a duplicate or late delivery). */
export async function enqueueExecution(stack: TestStack, executionId: string): Promise<void> {
  await stack.services.jobs.send(executeWorkflowJob, { executionId });
}

/** Sends an `ai.cleanup_expired_workflows` job through the queue and waits for a worker to finish it. */
export async function runCleanupJob(stack: TestStack, timeoutMs = 30_000): Promise<CleanupSummary> {
  const queue = cleanupExpiredWorkflowsJob.queue;
  const boss = await stack.services.jobs.boss();
  const id = await eventually(
    async () => (await stack.services.jobs.send(cleanupExpiredWorkflowsJob, {})) ?? undefined,
  );
  return eventually(async () => {
    const job = await boss.getJobById<object>(queue, id);
    if (job?.state === 'failed') throw new Error(`cleanup job failed: ${JSON.stringify(job.output)}`);
    return job?.state === 'completed' ? (job.output as CleanupSummary) : undefined;
  }, timeoutMs);
}
