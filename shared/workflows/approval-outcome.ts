import type { Queryable } from '../db/database.ts';
import { decidedWaitingApprovals } from './approval-store.ts';
import { recordStepContext, transitionExecution } from './execution-store.ts';
import { settleWaitingStep } from './step-run-store.ts';
import type { Approval, ExecutionStatus } from './types.ts';

/**
 * Schedules the next run of an execution on the queue, inside the caller's transaction. The job names the
 * execution's owner (`userId`), as every job naming a user does, so the per-user job lookups find it.
 */
export type EnqueueExecution = (
  tx: Queryable,
  execution: { id: string; userId: string },
  options?: { startAfter?: Date },
) => Promise<void>;

const UNFINISHED: readonly ExecutionStatus[] = ['queued', 'running', 'paused', 'waiting_approval'];

/** What a decided approval step records as its output. */
export function approvalOutput(approval: Approval) {
  return {
    approvalId: approval.id,
    decision: approval.status,
    comment: approval.comment,
    decidedBy: approval.decidedBy,
    decidedAt: approval.decidedAt,
  };
}

/**
 * Carries a decided approval over to its step and execution: approved finishes the step and lets the execution
 * go on (re-enqueued when it was waiting), rejected and expired end it. Idempotent, and the caller holds the
 * execution's row lock, so it cannot interleave with the runner settling the same step.
 */
export async function applyApprovalOutcome(
  tx: Queryable,
  approval: Approval,
  enqueue: EnqueueExecution,
): Promise<void> {
  if (approval.status === 'pending') return;
  const { executionId, stepId } = approval;
  if (approval.status === 'expired') {
    await settleWaitingStep(tx, executionId, stepId, {
      status: 'failed',
      output: approvalOutput(approval),
      error: 'the approval expired before anyone decided',
    });
    await transitionExecution(tx, executionId, UNFINISHED, 'expired', {
      error: `approval of step "${stepId}" expired`,
    });
    return;
  }
  const output = approvalOutput(approval);
  if (await settleWaitingStep(tx, executionId, stepId, { status: 'completed', output })) {
    await recordStepContext(tx, executionId, stepId, 'completed', output);
  }
  if (approval.status === 'rejected') {
    const reason = approval.comment ? `: ${approval.comment}` : '';
    await transitionExecution(tx, executionId, UNFINISHED, 'rejected', {
      error: `step "${stepId}" was rejected by its approver${reason}`,
    });
    return;
  }
  const resumed = await transitionExecution(tx, executionId, ['waiting_approval'], 'running');
  if (resumed) await enqueue(tx, { id: executionId, userId: approval.userId });
}

/**
 * Carries over every decision of the execution whose step still waits (a decision taken through the REST API);
 * the number carried over. The caller holds the execution's row lock.
 */
export async function applyDecidedApprovals(
  tx: Queryable,
  executionId: string,
  enqueue: EnqueueExecution,
): Promise<number> {
  const decided = await decidedWaitingApprovals(tx, { executionId, limit: 100 });
  for (const approval of decided) await applyApprovalOutcome(tx, approval, enqueue);
  return decided.length;
}
