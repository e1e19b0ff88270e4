// Data layer of workflow_executions. Every status change is a compare-and-set on the expected statuses.
import type { Queryable } from '../db/database.ts';
import type { Execution, ExecutionStatus, Workflow } from './types.ts';

export const EXECUTION_COLUMNS = `id, user_id, workflow_id, workflow_version, definition, document_id, status,
  current_step_id, error, expires_at, started_at, finished_at, created_at, updated_at`;

export interface ExecutionRow {
  id: string;
  user_id: string;
  workflow_id: string;
  workflow_version: number;
  definition: Execution['definition'];
  document_id: string;
  status: ExecutionStatus;
  current_step_id: string | null;
  error: string | null;
  expires_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

function toExecution(row: ExecutionRow): Execution {
  return {
    id: row.id,
    userId: row.user_id,
    workflowId: row.workflow_id,
    workflowVersion: row.workflow_version,
    documentId: row.document_id,
    status: row.status,
    definition: row.definition,
    currentStepId: row.current_step_id,
    error: row.error,
    expiresAt: iso(row.expires_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * Creates an execution of a workflow's current version on a document, with a pending run for every step. The
 * composite foreign keys make a workflow or document of another user fail as a missing reference.
 */
export async function insertExecution(
  tx: Queryable,
  workflow: Workflow,
  documentId: string,
  expiresInSeconds: number,
): Promise<Execution> {
  const { rows } = await tx.query<ExecutionRow>(
    `insert into workflow_executions (user_id, workflow_id, workflow_version, definition, document_id, expires_at)
     values ($1, $2, $3, $4::jsonb, $5, now() + make_interval(secs => $6))
     returning ${EXECUTION_COLUMNS}`,
    [
      workflow.userId,
      workflow.id,
      workflow.version,
      JSON.stringify({ name: workflow.name, steps: workflow.steps }),
      documentId,
      expiresInSeconds,
    ],
  );
  const execution = toExecution(rows[0]!);
  await tx.query(
    `insert into workflow_step_runs (user_id, execution_id, step_id, step_type)
     select $1, $2, step ->> 'id', step ->> 'type' from jsonb_array_elements($3::jsonb) as step`,
    [execution.userId, execution.id, JSON.stringify(workflow.steps)],
  );
  return execution;
}

/**
 * One execution, locked for the rest of the transaction when `lock` is set (serialises state changes); with
 * `ownerId` (the service role acting for a user), only when it is that user's.
 */
export async function findExecution(
  tx: Queryable,
  id: string,
  options: { lock?: boolean; ownerId?: string } = {},
): Promise<Execution | undefined> {
  const { rows } = await tx.query<ExecutionRow>(
    `select ${EXECUTION_COLUMNS} from workflow_executions
      where id = $1 and ($2::uuid is null or user_id = $2)${options.lock ? ' for update' : ''}`,
    [id, options.ownerId ?? null],
  );
  return rows[0] ? toExecution(rows[0]) : undefined;
}

export interface ExecutionFilter {
  workflowId?: string;
  documentId?: string;
  status?: ExecutionStatus;
  limit: number;
  offset: number;
}

/** The executions the caller can see, newest first, with the total for pagination. */
export async function listExecutions(tx: Queryable, filter: ExecutionFilter) {
  const { rows } = await tx.query<ExecutionRow & { total: string }>(
    `select ${EXECUTION_COLUMNS}, count(*) over () as total from workflow_executions
      where ($1::uuid is null or workflow_id = $1)
        and ($2::uuid is null or document_id = $2)
        and ($3::text is null or status = $3)
      order by created_at desc, id
      limit $4 offset $5`,
    [
      filter.workflowId ?? null,
      filter.documentId ?? null,
      filter.status ?? null,
      filter.limit,
      filter.offset,
    ],
  );
  return { items: rows.map(toExecution), total: rows[0] ? Number(rows[0].total) : 0 };
}

export interface TransitionFields {
  error?: string | null;
  currentStepId?: string | null;
}

/**
 * Moves an execution from one of `from` to `to` (compare-and-set). Stamps started_at on the first run and
 * finished_at on a final state. Undefined when the execution was not in one of `from`.
 */
export async function transitionExecution(
  tx: Queryable,
  id: string,
  from: readonly ExecutionStatus[],
  to: ExecutionStatus,
  fields: TransitionFields = {},
): Promise<Execution | undefined> {
  const { rows } = await tx.query<ExecutionRow>(
    `update workflow_executions
        set status = $3,
            started_at = case when $3 = 'running' then coalesce(started_at, now()) else started_at end,
            finished_at = case when $3 in ('completed', 'failed', 'cancelled', 'rejected', 'expired')
                               then greatest(now(), started_at) else null end,
            error = case when $4 then $5 else error end,
            current_step_id = case when $6 then $7 else current_step_id end
      where id = $1 and status = any($2::text[])
      returning ${EXECUTION_COLUMNS}`,
    [
      id,
      from,
      to,
      fields.error !== undefined,
      fields.error ?? null,
      fields.currentStepId !== undefined,
      fields.currentStepId ?? null,
    ],
  );
  return rows[0] ? toExecution(rows[0]) : undefined;
}

/** Locks an execution for the rest of the transaction and returns it with its `steps` context. */
export async function lockExecution(
  tx: Queryable,
  id: string,
): Promise<
  { execution: Execution; context: Record<string, { status: string; output: unknown }> } | undefined
> {
  const { rows } = await tx.query<
    ExecutionRow & { context: Record<string, { status: string; output: unknown }> }
  >(`select ${EXECUTION_COLUMNS}, context from workflow_executions where id = $1 for update`, [id]);
  return rows[0] ? { execution: toExecution(rows[0]), context: rows[0].context } : undefined;
}

/** Records a finished step's status and output where later conditions read them (`steps.<id>`). */
export async function recordStepContext(
  tx: Queryable,
  id: string,
  stepId: string,
  status: string,
  output: unknown,
): Promise<void> {
  await tx.query(
    `update workflow_executions
        set context = context || jsonb_build_object($2::text, jsonb_build_object('status', $3::text, 'output', $4::jsonb)),
            current_step_id = $2
      where id = $1`,
    [id, stepId, status, JSON.stringify(output ?? null)],
  );
}

/** Unfinished executions past their deadline, oldest first (service role; the cleanup job). */
export async function dueExecutions(tx: Queryable, limit: number): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `select id from workflow_executions
      where status in ('queued', 'running', 'paused', 'waiting_approval') and expires_at <= now()
      order by expires_at limit $1`,
    [limit],
  );
  return rows.map((row: { id: string }) => row.id);
}

/**
 * Running executions nobody is advancing: a step whose worker's lease ran out (the worker died), or no step in
 * flight, no retry ahead and no change for `idleSeconds` (its jobs were lost or exhausted their retries).
 */
export async function stalledExecutions(
  tx: Queryable,
  idleSeconds: number,
  limit: number,
): Promise<Array<{ id: string; userId: string }>> {
  const { rows } = await tx.query<{ id: string; user_id: string }>(
    `select e.id, e.user_id from workflow_executions e
      where e.status = 'running'
        and (exists (select 1 from workflow_step_runs r
                      where r.execution_id = e.id and r.status = 'running' and r.lease_until <= now())
             or (e.updated_at <= now() - make_interval(secs => $1)
                 and not exists (select 1 from workflow_step_runs r
                                  where r.execution_id = e.id
                                    and ((r.status = 'running' and r.lease_until > now())
                                         or (r.status = 'pending' and r.next_attempt_at > now())))))
      order by e.updated_at limit $2`,
    [idleSeconds, limit],
  );
  return rows.map((row) => ({ id: row.id, userId: row.user_id }));
}
