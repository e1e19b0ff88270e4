import { NonRetriableError } from '../../http/retry.ts';
import { approvalOutput } from '../approval-outcome.ts';
import { ensureApproval } from '../approval-store.ts';
import type { StepOf } from '../definition.ts';
import type { StepContext, StepResult } from '../step-executor.ts';

/**
 * Approval step: creates the step's approval once (keyed by execution and step) and waits for the approver,
 * the owner unless the step names another user. A repeated attempt finds the same approval.
 */
export async function approvalStep(context: StepContext<StepOf<'approval'>>): Promise<StepResult> {
  const { execution, step } = context;
  const approval = await context
    .service((tx) =>
      ensureApproval(tx, {
        userId: execution.userId,
        executionId: execution.id,
        stepId: step.id,
        approverId: step.config.approverId ?? execution.userId,
        expiresInSeconds: step.config.expiresInSeconds,
        instructions: step.config.instructions ?? null,
        workflowName: execution.definition.name,
      }),
    )
    .catch((error: { code?: string }) => {
      if (error.code === '23503')
        throw new NonRetriableError('the approver named by the step does not exist');
      throw error;
    });
  if (approval.status === 'approved') return { status: 'completed', output: approvalOutput(approval) };
  // Pending waits; rejected or expired is settled by the runner, which ends the execution accordingly.
  return { status: 'waiting', output: { approvalId: approval.id, approverId: approval.approverId } };
}
