import { NonRetriableError } from '../../http/retry.ts';
import { approvalOutput } from '../approval-outcome.ts';
import { ensureApproval, nameableApprovers } from '../approval-store.ts';
import type { StepOf } from '../definition.ts';
import type { StepContext, StepResult } from '../step-executor.ts';
import { UNKNOWN_APPROVER } from '../workflow-service.ts';

/**
 * Approval step: creates the step's approval once (keyed by execution and step) and waits for the approver,
 * the owner unless the step names another user. A repeated attempt finds the same approval.
 */
export async function approvalStep(context: StepContext<StepOf<'approval'>>): Promise<StepResult> {
  const { execution, step } = context;
  const approverId = step.config.approverId ?? execution.userId;
  // Checked again at run time (the account may have gone or changed since the workflow was saved), with the
  // same words whether the user is missing or may not be named.
  if (approverId !== execution.userId) {
    const nameable = await context.service((tx) => nameableApprovers(tx, [approverId]));
    if (!nameable.has(approverId)) throw new NonRetriableError(`approval step: ${UNKNOWN_APPROVER}`);
  }
  const approval = await context
    .service((tx) =>
      ensureApproval(tx, {
        userId: execution.userId,
        executionId: execution.id,
        stepId: step.id,
        approverId,
        expiresInSeconds: step.config.expiresInSeconds,
        instructions: step.config.instructions ?? null,
        workflowName: execution.definition.name,
      }),
    )
    .catch((error: { code?: string }) => {
      if (error.code === '23503') throw new NonRetriableError(`approval step: ${UNKNOWN_APPROVER}`);
      throw error;
    });
  if (approval.status === 'approved') return { status: 'completed', output: approvalOutput(approval) };
  // Pending waits; rejected or expired is settled by the runner, which ends the execution accordingly.
  return { status: 'waiting', output: { approvalId: approval.id, approverId: approval.approverId } };
}
