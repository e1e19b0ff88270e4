import type { AppServices } from '../services.ts';
import type { WorkflowsDeps } from './deps.ts';
import { executeWorkflowJob } from './job-contracts.ts';

/** The workflow dependencies from the app's services; `leaseGraceSeconds` is shortened by the crash tests. */
export function createWorkflowsDeps(
  services: AppServices,
  options: { leaseGraceSeconds?: number } = {},
): WorkflowsDeps {
  return {
    db: services.db,
    logger: services.logger,
    enqueue: async (tx, execution, options = {}) => {
      await services.jobs.send(
        executeWorkflowJob,
        { executionId: execution.id, userId: execution.userId },
        { tx, startAfter: options.startAfter },
      );
    },
    // Read on use: the AI service is built the first time a step calls it.
    get ai() {
      return services.ai;
    },
    webhookAllowedHosts: services.config.webhookAllowedHosts,
    leaseGraceSeconds: options.leaseGraceSeconds,
  };
}
