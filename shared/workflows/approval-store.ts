// Data layer of workflow_approvals.
import type { Queryable } from '../db/database.ts';
import type { Approval, ApprovalStatus } from './types.ts';

const COLUMNS = `id, execution_id, step_id, user_id, approver_id, status, comment, decided_by, decided_at,
  expires_at, instructions, workflow_name, created_at`;

interface ApprovalRow {
  id: string;
  execution_id: string;
  step_id: string;
  user_id: string;
  approver_id: string | null;
  status: ApprovalStatus;
  comment: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  expires_at: Date | null;
  instructions: string | null;
  workflow_name: string | null;
  created_at: Date;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

function toApproval(row: ApprovalRow): Approval {
  return {
    id: row.id,
    executionId: row.execution_id,
    stepId: row.step_id,
    userId: row.user_id,
    approverId: row.approver_id,
    status: row.status,
    comment: row.comment,
    decidedBy: row.decided_by,
    decidedAt: iso(row.decided_at),
    expiresAt: iso(row.expires_at),
    instructions: row.instructions,
    workflowName: row.workflow_name,
    createdAt: row.created_at.toISOString(),
  };
}

export interface NewApproval {
  userId: string;
  executionId: string;
  stepId: string;
  approverId: string;
  expiresInSeconds: number | undefined;
  instructions: string | null;
  workflowName: string;
}

/** Creates the approval of a step once; a repeated attempt gets the existing one back. */
export async function ensureApproval(tx: Queryable, input: NewApproval): Promise<Approval> {
  await tx.query(
    `insert into workflow_approvals
       (user_id, execution_id, step_id, approver_id, expires_at, instructions, workflow_name)
     values ($1, $2, $3, $4, case when $5::float8 is null then null else now() + make_interval(secs => $5) end, $6, $7)
     on conflict (execution_id, step_id) do nothing`,
    [
      input.userId,
      input.executionId,
      input.stepId,
      input.approverId,
      input.expiresInSeconds ?? null,
      input.instructions,
      input.workflowName,
    ],
  );
  const approval = await findApprovalForStep(tx, input.executionId, input.stepId);
  if (!approval) throw new Error('approval vanished after insert');
  return approval;
}

/** The approval of one step of an execution. */
export async function findApprovalForStep(
  tx: Queryable,
  executionId: string,
  stepId: string,
): Promise<Approval | undefined> {
  const { rows } = await tx.query<ApprovalRow>(
    `select ${COLUMNS} from workflow_approvals where execution_id = $1 and step_id = $2`,
    [executionId, stepId],
  );
  return rows[0] ? toApproval(rows[0]) : undefined;
}

/** One approval the caller can see (its owner's or its approver's, under RLS). */
export async function findApproval(tx: Queryable, id: string): Promise<Approval | undefined> {
  const { rows } = await tx.query<ApprovalRow>(`select ${COLUMNS} from workflow_approvals where id = $1`, [
    id,
  ]);
  return rows[0] ? toApproval(rows[0]) : undefined;
}

/** Pending, unexpired approvals assigned to `approverId`, oldest first. */
export async function listPendingFor(
  tx: Queryable,
  approverId: string,
  page: { limit: number; offset: number },
): Promise<{ items: Approval[]; total: number }> {
  const { rows } = await tx.query<ApprovalRow & { total: string }>(
    `select ${COLUMNS}, count(*) over () as total from workflow_approvals
      where approver_id = $1 and status = 'pending' and (expires_at is null or expires_at > now())
      order by created_at, id limit $2 offset $3`,
    [approverId, page.limit, page.offset],
  );
  return { items: rows.map(toApproval), total: rows[0] ? Number(rows[0].total) : 0 };
}

/**
 * Decides a pending, unexpired approval assigned to `approverId` (compare-and-set); undefined when any of
 * that does not hold. The same conditions as the table's update policy, stated for the service role.
 */
export async function decideApproval(
  tx: Queryable,
  id: string,
  approverId: string,
  decision: 'approved' | 'rejected',
  comment: string | null,
): Promise<Approval | undefined> {
  const { rows } = await tx.query<ApprovalRow>(
    `update workflow_approvals
        set status = $3, comment = $4, decided_by = $2, decided_at = now()
      where id = $1 and approver_id = $2 and status = 'pending' and (expires_at is null or expires_at > now())
      returning ${COLUMNS}`,
    [id, approverId, decision, comment],
  );
  return rows[0] ? toApproval(rows[0]) : undefined;
}

/** Expires a pending approval past its deadline, or any pending one with `force` (its execution expired). */
export async function expireApproval(
  tx: Queryable,
  id: string,
  force = false,
): Promise<Approval | undefined> {
  const { rows } = await tx.query<ApprovalRow>(
    `update workflow_approvals set status = 'expired', decided_at = now()
      where id = $1 and status = 'pending' and ($2 or expires_at <= now())
      returning ${COLUMNS}`,
    [id, force],
  );
  return rows[0] ? toApproval(rows[0]) : undefined;
}

/** Pending approvals past their deadline (service role; the cleanup job). */
export async function dueApprovals(tx: Queryable, limit: number): Promise<Approval[]> {
  const { rows } = await tx.query<ApprovalRow>(
    `select ${COLUMNS} from workflow_approvals where status = 'pending' and expires_at <= now()
      order by expires_at limit $1`,
    [limit],
  );
  return rows.map(toApproval);
}

/**
 * Decided or expired approvals whose step still waits: a decision not yet carried over to its execution (one the
 * approver took through the REST API, whose trigger enqueued the execution's job). Service role.
 */
export async function decidedWaitingApprovals(
  tx: Queryable,
  options: { executionId?: string; limit: number },
): Promise<Approval[]> {
  const { rows } = await tx.query<ApprovalRow>(
    `select ${COLUMNS} from workflow_approvals
      where status <> 'pending' and ($1::uuid is null or execution_id = $1)
        and (execution_id, step_id) in (
          select r.execution_id, r.step_id from workflow_step_runs r
           where r.status = 'waiting' and ($1::uuid is null or r.execution_id = $1))
      limit $2`,
    [options.executionId ?? null, options.limit],
  );
  return rows.map(toApproval);
}

/** Ids of the pending approvals of one execution. */
export async function pendingApprovalIds(tx: Queryable, executionId: string): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `select id from workflow_approvals where execution_id = $1 and status = 'pending'`,
    [executionId],
  );
  return rows.map((row: { id: string }) => row.id);
}

/** Pending approvals whose execution already ended (left behind by a cancel that stopped half-way). */
export async function orphanedApprovals(tx: Queryable, limit: number): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `select a.id from workflow_approvals a join workflow_executions e on e.id = a.execution_id
      where a.status = 'pending' and e.status in ('completed', 'failed', 'cancelled', 'rejected', 'expired')
      limit $1`,
    [limit],
  );
  return rows.map((row: { id: string }) => row.id);
}

/**
 * Of `ids`, the users a workflow may name as approver: signed-up (not anonymous) accounts. Read as the service
 * role; a missing user and one that may not be named are both simply absent, so callers answer them alike.
 */
export async function nameableApprovers(tx: Queryable, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await tx.query<{ id: string }>(
    'select id from auth.users where id = any($1::uuid[]) and not coalesce(is_anonymous, false)',
    [ids],
  );
  return new Set(rows.map((row) => row.id));
}

/** The email of each user in `ids` (null when none), for showing an approver who asked. Service role. */
export async function requesterEmails(tx: Queryable, ids: string[]): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const { rows } = await tx.query<{ id: string; email: string | null }>(
    'select id, email from auth.users where id = any($1::uuid[])',
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row.email]));
}
