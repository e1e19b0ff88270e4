// Data layer of workflow_step_runs: memoized step results keyed by (execution_id, step_id), claimed and
// settled with compare-and-set updates so a step that completed is never run again.
import type { Queryable } from '../db/database.ts';
import type { StepRun, StepStatus } from './types.ts';

const COLUMNS = `execution_id, step_id, step_type, status, output, error, attempts, lease_until, next_attempt_at,
  started_at, finished_at`;

interface StepRunRow {
  execution_id: string;
  step_id: string;
  step_type: string;
  status: StepStatus;
  output: unknown;
  error: string | null;
  attempts: number;
  lease_until: Date | null;
  next_attempt_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

function toStepRun(row: StepRunRow): StepRun {
  return {
    executionId: row.execution_id,
    stepId: row.step_id,
    stepType: row.step_type,
    status: row.status,
    output: row.output,
    error: row.error,
    attempts: row.attempts,
    leaseUntil: iso(row.lease_until),
    nextAttemptAt: iso(row.next_attempt_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    durationMs:
      row.started_at && row.finished_at ? row.finished_at.getTime() - row.started_at.getTime() : null,
  };
}

/** Every step run of an execution, in the order of `stepIds` (the definition's order). */
export async function listStepRuns(
  tx: Queryable,
  executionId: string,
  stepIds: string[],
): Promise<StepRun[]> {
  const { rows } = await tx.query<StepRunRow>(
    `select ${COLUMNS} from workflow_step_runs where execution_id = $1`,
    [executionId],
  );
  const order = new Map(stepIds.map((id, index) => [id, index]));
  return rows
    .map(toStepRun)
    .sort((a: StepRun, b: StepRun) => (order.get(a.stepId) ?? Infinity) - (order.get(b.stepId) ?? Infinity));
}

/**
 * Claims a step for one attempt: a pending step whose retry time has come, or a running one whose worker's
 * lease ran out (the worker died). Stores a fresh claim token and makes it the execution's current step;
 * undefined when another worker holds the step.
 */
export async function claimStep(
  tx: Queryable,
  executionId: string,
  stepId: string,
  token: string,
  leaseSeconds: number,
): Promise<StepRun | undefined> {
  // The execution's current step moves along with the claim, in the same statement.
  const { rows } = await tx.query<StepRunRow>(
    `with claimed as (
       update workflow_step_runs
          set status = 'running', attempts = attempts + 1, claim_token = $3,
              lease_until = now() + make_interval(secs => $4), next_attempt_at = null,
              started_at = coalesce(started_at, now())
        where execution_id = $1 and step_id = $2
          and ((status = 'pending' and (next_attempt_at is null or next_attempt_at <= now()))
               or (status = 'running' and lease_until <= now()))
        returning ${COLUMNS}
     ), moved as (
       update workflow_executions set current_step_id = $2
        where id = $1 and current_step_id is distinct from $2 and exists (select 1 from claimed)
     )
     select * from claimed`,
    [executionId, stepId, token, leaseSeconds],
  );
  return rows[0] ? toStepRun(rows[0]) : undefined;
}

/**
 * Settles the attempt holding `token`: completed, skipped or failed (finished), or waiting (for an approver).
 * False when the claim was lost (another worker took the step over), in which case nothing is written.
 */
export async function settleStep(
  tx: Queryable,
  executionId: string,
  stepId: string,
  token: string,
  result: { status: 'completed' | 'skipped' | 'failed' | 'waiting'; output?: unknown; error?: string | null },
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `update workflow_step_runs
        set status = $4, output = $5::jsonb, claim_token = null, lease_until = null,
            error = case when $4 = 'failed' then $6 else error end,
            finished_at = case when $4 = 'waiting' then null else greatest(now(), started_at) end
      where execution_id = $1 and step_id = $2 and status = 'running' and claim_token = $3`,
    [executionId, stepId, token, result.status, jsonObject(result.output), result.error ?? null],
  );
  return rowCount === 1;
}

/** Gives a failed attempt back for a retry after `delaySeconds`, keeping its error. False if the claim was lost. */
export async function releaseForRetry(
  tx: Queryable,
  executionId: string,
  stepId: string,
  token: string,
  error: string,
  delaySeconds: number,
): Promise<{ nextAttemptAt: Date } | undefined> {
  const { rows } = await tx.query<{ next_attempt_at: Date }>(
    `update workflow_step_runs
        set status = 'pending', claim_token = null, lease_until = null, error = $4,
            next_attempt_at = now() + make_interval(secs => $5)
      where execution_id = $1 and step_id = $2 and status = 'running' and claim_token = $3
      returning next_attempt_at`,
    [executionId, stepId, token, error, delaySeconds],
  );
  return rows[0] ? { nextAttemptAt: rows[0].next_attempt_at } : undefined;
}

/** Finishes a step that was waiting (an approval decided or expired); false when it was not waiting. */
export async function settleWaitingStep(
  tx: Queryable,
  executionId: string,
  stepId: string,
  result: { status: 'completed' | 'failed'; output: unknown; error?: string },
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `update workflow_step_runs
        set status = $3, output = $4::jsonb, error = $5, finished_at = greatest(now(), started_at)
      where execution_id = $1 and step_id = $2 and status = 'waiting'`,
    [executionId, stepId, result.status, jsonObject(result.output), result.error ?? null],
  );
  return rowCount === 1;
}

// The column holds objects only; any other output is wrapped so it is still recorded.
function jsonObject(output: unknown): string | null {
  if (output === undefined || output === null) return null;
  if (typeof output === 'object' && !Array.isArray(output)) return JSON.stringify(output);
  return JSON.stringify({ value: output });
}
