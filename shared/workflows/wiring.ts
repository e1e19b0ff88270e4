import { aiServiceFor } from '../ai/runtime.ts';
import type { AppServices } from '../http/context.ts';
import { workflowAiFrom } from './ai-adapter.ts';
import type { WorkflowsDeps } from './deps.ts';
import { executeWorkflowJob } from './job-contracts.ts';

/** The workflow dependencies from the app's services; `overrides` swap parts (tests, another provider). */
export function createWorkflowsDeps(
  services: AppServices,
  overrides: Partial<WorkflowsDeps> = {},
): WorkflowsDeps {
  return {
    db: services.db,
    logger: services.logger,
    enqueue: async (tx, executionId, options = {}) => {
      await services.jobs.send(executeWorkflowJob, { executionId }, { tx, startAfter: options.startAfter });
    },
    ai: workflowAiFrom(aiServiceFor(services), services.db),
    webhookAllowedHosts: services.config.webhookAllowedHosts,
    ...overrides,
  };
}
