import type { UserClaims } from '../auth/claims.ts';
import type { Database } from '../db/database.ts';
import { conflict, forbidden, notFound } from '../http/errors.ts';
import { applyApprovalOutcome, type EnqueueExecution } from './approval-outcome.ts';
import {
  decideApproval,
  expireApproval,
  findApproval,
  listPendingFor,
  requesterEmails,
} from './approval-store.ts';
import { findExecution } from './execution-store.ts';
import type { Approval } from './types.ts';

export type Decision = 'approve' | 'reject';
const STATUS_OF: Record<Decision, 'approved' | 'rejected'> = { approve: 'approved', reject: 'rejected' };

/** Approvals from the approver's side: their inbox and their decisions. */
export function createApprovalService(deps: { db: Database; enqueue: EnqueueExecution }) {
  const { db, enqueue } = deps;
  /** Adds who asked (the execution's owner, by id and email) to approvals the caller may see. */
  async function withRequester(approvals: Approval[]): Promise<Approval[]> {
    const emails = await db.asService(
      (tx) => requesterEmails(tx, [...new Set(approvals.map((a) => a.userId))]),
      {
        readOnly: true,
      },
    );
    return approvals.map((a) => ({
      ...a,
      requestedBy: { userId: a.userId, email: emails.get(a.userId) ?? null },
    }));
  }
  return {
    /** Pending, unexpired approvals waiting for the caller, each with who asked. */
    async inbox(user: UserClaims, page: { limit: number; offset: number }) {
      const found = await db.asUser(user, (tx) => listPendingFor(tx, user.sub, page), { readOnly: true });
      return { ...found, items: await withRequester(found.items) };
    },

    /**
     * Approves or rejects. Deciding the same way twice answers with the recorded decision; a different
     * decision, an expired approval or one already closed is a 409. Only the named approver may decide (403);
     * anyone who cannot see the approval gets 404.
     */
    async decide(
      user: UserClaims,
      id: string,
      input: { decision: Decision; comment?: string },
    ): Promise<{ approval: Approval; changed: boolean }> {
      const visible = await db.asUser(user, (tx) => findApproval(tx, id), { readOnly: true });
      if (!visible) throw notFound('Approval');
      if (visible.approverId !== user.sub)
        throw forbidden('Only the approver named by the step may decide it');
      const wanted = STATUS_OF[input.decision];
      // The approver may be another user than the execution's owner, whose rows RLS hides from them; the
      // service role carries the decision over, and decideApproval restates the update policy's conditions.
      const outcome = await db.asService(async (tx) => {
        await findExecution(tx, visible.executionId, { lock: true });
        const decided = await decideApproval(tx, id, user.sub, wanted, input.comment ?? null);
        if (decided) {
          await applyApprovalOutcome(tx, decided, enqueue);
          return { approval: decided, changed: true };
        }
        const current = await findApproval(tx, id);
        if (current?.status !== 'pending') return { approval: current, changed: false };
        // Past its deadline but not yet swept by the cleanup job: expire it now, as the job would.
        const expired = await expireApproval(tx, id);
        if (expired) await applyApprovalOutcome(tx, expired, enqueue);
        return { approval: expired ?? current, changed: false };
      });
      if (!outcome.approval) throw notFound('Approval');
      const [approval] = await withRequester([outcome.approval]);
      if (approval!.status === wanted) return { approval: approval!, changed: outcome.changed };
      throw conflict(
        approval!.status === 'expired'
          ? 'The approval has expired'
          : `The approval was already ${approval!.status}`,
        [{ path: 'status', message: approval!.status, code: 'invalid_state' }],
      );
    },
  };
}

export type ApprovalService = ReturnType<typeof createApprovalService>;
