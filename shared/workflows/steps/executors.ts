import type { WorkflowAi } from '../ai-port.ts';
import type { StepExecutors } from '../step-executor.ts';
import { analysisStep, classificationStep } from './ai-steps.ts';
import { approvalStep } from './approval-step.ts';
import { type Fetch, notificationStep } from './notification-step.ts';
import { routingStep } from './routing-step.ts';

/** The executor of each step type, over the AI operations and the HTTP client for webhooks. */
export function createStepExecutors(deps: {
  ai: WorkflowAi;
  fetch?: Fetch;
  webhookAllowedHosts?: readonly string[];
}): StepExecutors {
  return {
    classification: classificationStep(deps.ai),
    analysis: analysisStep(deps.ai),
    routing: routingStep,
    approval: approvalStep,
    notification: notificationStep(deps.fetch, { allowedHosts: deps.webhookAllowedHosts }),
  };
}
