// The `ai.cleanup_expired_workflows` job: ends approvals and executions that outlived their deadline.
import type { Database } from '../db/database.ts';
import { applyApprovalOutcome, applyDecidedApprovals, type EnqueueExecution } from './approval-outcome.ts';
import {
  decidedWaitingApprovals,
  dueApprovals,
  expireApproval,
  orphanedApprovals,
  pendingApprovalIds,
} from './approval-store.ts';
import { dueExecutions, findExecution, stalledExecutions, transitionExecution } from './execution-store.ts';

export interface CleanupSummary {
  /** Decisions whose step still waited (taken through the REST API, their job not yet run or lost). */
  decisionsApplied: number;
  approvalsExpired: number;
  executionsExpired: number;
  orphansClosed: number;
  executionsRecovered: number;
}

/**
 * Carries over decisions whose step still waits (a safety net for the job a REST decision enqueues), expires due
 * approvals (their executions end as expired), executions past expires_at, and pending approvals
 * left behind by executions that already ended; re-enqueues running executions that stalled. Idempotent: every change is a compare-and-set, so a second run,
 * or two running at once, change nothing more. Runs as the service role: no user is behind a cron job.
 */
export async function cleanupExpiredWorkflows(
  deps: { db: Database; enqueue: EnqueueExecution },
  options: { batchSize?: number; idleSeconds?: number } = {},
): Promise<CleanupSummary> {
  const { db, enqueue } = deps;
  const limit = options.batchSize ?? 500;
  const summary: CleanupSummary = {
    decisionsApplied: 0,
    approvalsExpired: 0,
    executionsExpired: 0,
    orphansClosed: 0,
    executionsRecovered: 0,
  };

  const decided = await db.asService((tx) => decidedWaitingApprovals(tx, { limit }));
  for (const executionId of new Set(decided.map((approval) => approval.executionId))) {
    await db.asService(async (tx) => {
      await findExecution(tx, executionId, { lock: true });
      summary.decisionsApplied += await applyDecidedApprovals(tx, executionId, enqueue);
    });
  }

  for (const due of await db.asService((tx) => dueApprovals(tx, limit))) {
    await db.asService(async (tx) => {
      await findExecution(tx, due.executionId, { lock: true });
      const expired = await expireApproval(tx, due.id);
      if (!expired) return;
      summary.approvalsExpired++;
      await applyApprovalOutcome(tx, expired, enqueue);
    });
  }

  for (const id of await db.asService((tx) => dueExecutions(tx, limit))) {
    await db.asService(async (tx) => {
      await findExecution(tx, id, { lock: true });
      const expired = await transitionExecution(
        tx,
        id,
        ['queued', 'running', 'paused', 'waiting_approval'],
        'expired',
        { error: 'the execution passed its deadline before it finished' },
      );
      if (!expired) return;
      summary.executionsExpired++;
      for (const approvalId of await pendingApprovalIds(tx, id)) await expireApproval(tx, approvalId, true);
    });
  }

  for (const approvalId of await db.asService((tx) => orphanedApprovals(tx, limit))) {
    if (await db.asService((tx) => expireApproval(tx, approvalId, true))) summary.orphansClosed++;
  }

  // A worker that died mid-step has its job redelivered by pg-boss only after the queue's expiry; re-enqueueing
  // here resumes the execution as soon as the step's lease has passed. A duplicate job is harmless.
  const stalled = await db.asService((tx) => stalledExecutions(tx, options.idleSeconds ?? 300, limit));
  for (const execution of stalled) {
    await db.asService((tx) => enqueue(tx, execution));
    summary.executionsRecovered++;
  }
  return summary;
}
