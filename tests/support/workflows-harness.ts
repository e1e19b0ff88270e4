// Helpers of the workflow tests: calls to the `workflows` function, polling, an in-process worker (users and
// documents: harness.ts).
import { LOCAL_JWT_SECRET } from '../../local/keys.ts';
import { startJobWorker } from '../../shared/jobs/worker-runtime.ts';
import { closeServices, createServices } from '../../shared/runtime.ts';
import type { AppServices } from '../../shared/services.ts';
import type { CleanupSummary } from '../../shared/workflows/cleanup.ts';
import { cleanupExpiredWorkflowsJob, executeWorkflowJob } from '../../shared/workflows/job-contracts.ts';
import { registerWorkflowJobs } from '../../shared/workflows/jobs.ts';
import { callFunction, eventually, type Json, type TestUser } from './harness.ts';
import type { TestStack } from './stack.ts';

/** Calls the `workflows` function as `user` the way a browser would, returning status and parsed body. */
export async function api(
  stack: TestStack,
  user: TestUser,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const { status, body: parsed } = await callFunction(stack, path, { method, token: user.token, json: body });
  return { status, body: parsed };
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
export async function enqueueExecution(stack: TestStack, executionId: string, userId: string): Promise<void> {
  await stack.services.jobs.send(executeWorkflowJob, { executionId, userId });
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
