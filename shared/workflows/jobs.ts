import { withLogRetention } from '../ops/retention.ts';
import type { AppServices } from '../services.ts';
import { cleanupExpiredWorkflows } from './cleanup.ts';
import { cleanupExpiredWorkflowsJob, executeWorkflowJob } from './job-contracts.ts';
import { createRunner } from './runner.ts';
import { createStepExecutors } from './steps/executors.ts';
import { createWorkflowsDeps } from './wiring.ts';

/** Registers the workflow queues' handlers in the process's job registry; both handlers are idempotent. */
export function registerWorkflowJobs(
  services: AppServices,
  options: { leaseGraceSeconds?: number } = {},
): void {
  const deps = createWorkflowsDeps(services, options);
  const runner = createRunner({
    db: deps.db,
    executors: createStepExecutors(deps),
    enqueue: deps.enqueue,
    logger: deps.logger,
    leaseGraceSeconds: deps.leaseGraceSeconds,
  });
  const { registry } = services.jobs;
  registry.register(
    executeWorkflowJob,
    async ({ executionId }, context) => ({ outcome: await runner.run(executionId, context.signal) }),
    { concurrency: 20 },
  );
  registry.register(
    cleanupExpiredWorkflowsJob,
    withLogRetention(() => cleanupExpiredWorkflows(deps), services),
    { concurrency: 1 },
  );
}
