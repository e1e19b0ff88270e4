import type { StepExecutors } from '../step-executor.ts';
import { type AiStepDeps, analysisStep, classificationStep } from './ai-steps.ts';
import { approvalStep } from './approval-step.ts';
import { notificationStep } from './notification-step.ts';
import { routingStep } from './routing-step.ts';

/** The executor of each step type, over the AI service and the hosts webhooks may reach although private. */
export function createStepExecutors(
  deps: AiStepDeps & { webhookAllowedHosts?: readonly string[] },
): StepExecutors {
  return {
    classification: classificationStep(deps),
    analysis: analysisStep(deps),
    routing: routingStep,
    approval: approvalStep,
    notification: notificationStep({ allowedHosts: deps.webhookAllowedHosts }),
  };
}
