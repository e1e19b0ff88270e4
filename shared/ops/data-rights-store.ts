// The data layer of data export and deletion. The tables are discovered from the catalog (every table in public
// with a user_id column), so a table added later is exported and deleted without a change here.
import type { Queryable } from '../db/database.ts';

export interface OwnedTable {
  name: string;
  /** Whether role authenticated may select it (else the service reads it for the user). */
  userReadable: boolean;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/**
 * Every table in public with a user_id column, referencing tables after the tables they reference are
 * deleted (children first), so a deletion never trips a foreign key.
 */
export async function listOwnedTables(tx: Queryable): Promise<OwnedTable[]> {
  const { rows } = await tx.query<{ name: string; user_readable: boolean; parents: string[] }>(
    `select c.relname as name,
            has_table_privilege('authenticated', c.oid, 'select') as user_readable,
            coalesce(array(
              select distinct p.relname::text from pg_constraint k join pg_class p on p.oid = k.confrelid
              where k.conrelid = c.oid and k.contype = 'f' and k.confrelid <> c.oid
                and p.relnamespace = 'public'::regnamespace
            ), '{}') as parents
     from pg_class c
     join pg_attribute a on a.attrelid = c.oid and a.attname = 'user_id' and not a.attisdropped
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
     order by c.relname`,
  );
  // Children first: a table goes once no remaining table references it.
  const remaining = new Map(rows.map((row) => [row.name, row]));
  const ordered: OwnedTable[] = [];
  while (remaining.size > 0) {
    const referenced = new Set([...remaining.values()].flatMap((row) => row.parents));
    const next = [...remaining.values()].filter((row) => !referenced.has(row.name));
    // A cycle (none today) falls back to name order; the cascades then do the rest.
    for (const row of next.length ? next : [...remaining.values()]) {
      ordered.push({ name: row.name, userReadable: row.user_readable });
      remaining.delete(row.name);
    }
  }
  return ordered;
}

/** Every row of `table` that belongs to the user, as JSON objects. `userId` must be the verified caller. */
export async function selectOwnedRows(
  tx: Queryable,
  table: string,
  userId: string,
): Promise<Record<string, unknown>[]> {
  const { rows } = await tx.query<{ rows: Record<string, unknown>[] }>(
    `select coalesce(jsonb_agg(to_jsonb(t)), '[]'::jsonb) as rows from public.${quote(table)} t where t.user_id = $1`,
    [userId],
  );
  return rows[0]!.rows;
}

/** Deletes every row of `table` that belongs to the user; returns how many. */
export async function deleteOwnedRows(tx: Queryable, table: string, userId: string): Promise<number> {
  const { rowCount } = await tx.query(`delete from public.${quote(table)} where user_id = $1`, [userId]);
  return rowCount ?? 0;
}

/** Ends the user's unfinished workflow executions (compare-and-set on their status); returns how many. */
export async function cancelUnfinishedExecutions(tx: Queryable, userId: string): Promise<number> {
  const { rowCount } = await tx.query(
    `update public.workflow_executions
     set status = 'cancelled', error = 'cancelled: the owner deleted their data', finished_at = now()
     where user_id = $1 and status in ('queued', 'running', 'paused', 'waiting_approval')`,
    [userId],
  );
  return rowCount ?? 0;
}

/** The user's bots that are scheduled at Attendee and can still be cancelled there. */
export async function scheduledBotIds(tx: Queryable, userId: string): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `select id from public.meeting_bots
     where user_id = $1 and sent and attendee_bot_id is not null and state = 'scheduled'`,
    [userId],
  );
  return rows.map((row) => row.id);
}

/** The cached AI results served to the user (private tables, read by the service for the verified user). */
export async function selectCachedResults(tx: Queryable, userId: string) {
  const { rows } = await tx.query<{
    operation: string;
    provider: string;
    model: string;
    result: Record<string, unknown>;
    created_at: Date;
    expires_at: Date;
  }>(
    `select c.operation, c.provider, c.model, c.result, c.created_at, c.expires_at
     from ai_private.ai_result_cache_owners o join ai_private.ai_result_cache c on c.cache_key = o.cache_key
     where o.user_id = $1
     order by c.created_at`,
    [userId],
  );
  return rows.map((row) => ({
    operation: row.operation,
    provider: row.provider,
    model: row.model,
    result: row.result,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
  }));
}

/**
 * Deletes the cached AI results served to the user (derived from their text; the cache is private, so not
 * among the owned tables). The owner rows' trigger deletes each result; returns how many were theirs.
 */
export async function deleteCachedResults(tx: Queryable, userId: string): Promise<number> {
  const { rowCount } = await tx.query('delete from ai_private.ai_result_cache_owners where user_id = $1', [
    userId,
  ]);
  return rowCount ?? 0;
}

/**
 * The user's paid AI calls still in flight (ai_private.ai_calls_in_flight: opened at the budget check, not yet
 * logged, or left by a process that died), with their estimated usage.
 */
export async function selectCallsInFlight(tx: Queryable, userId: string) {
  const { rows } = await tx.query<{
    request_id: string | null;
    operation: string;
    provider: string;
    model: string | null;
    tokens_in: number;
    tokens_out: number;
    cost_usd: string;
    created_at: Date;
    sent_at: Date | null;
  }>(
    `select request_id, operation, provider, model, tokens_in, tokens_out, cost_usd, created_at, sent_at
     from ai_private.ai_calls_in_flight where user_id = $1 order by created_at, id`,
    [userId],
  );
  return rows.map((row) => ({
    requestId: row.request_id,
    operation: row.operation,
    provider: row.provider,
    model: row.model,
    tokensIn: row.tokens_in,
    tokensOut: row.tokens_out,
    costUsd: Number(row.cost_usd),
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
  }));
}

/**
 * Deletes the user's paid AI calls in flight (private, so not among the owned tables). A call still running
 * writes its log row when it ends, as any call the user made before the deletion would.
 */
export async function deleteCallsInFlight(tx: Queryable, userId: string): Promise<number> {
  const { rowCount } = await tx.query('delete from ai_private.ai_calls_in_flight where user_id = $1', [
    userId,
  ]);
  return rowCount ?? 0;
}

/**
 * Deletes the user's pg-boss jobs in every state (queued, active, completed, failed, dead-lettered): their
 * payloads and outputs hold the user's requests and results. A job is theirs when its payload names them.
 */
export async function deleteUserJobs(tx: Queryable, userId: string): Promise<number> {
  const { rows } = await tx.query<{ count: number }>('select app_private.delete_user_jobs($1) as count', [
    userId,
  ]);
  return rows[0]?.count ?? 0;
}

/**
 * The approvals the user decided on other users' executions: their own decisions, which the owner's rows hold.
 * Only the decision and what identifies it; the other user's content stays theirs.
 */
export async function selectDecisionsForOthers(tx: Queryable, userId: string) {
  const { rows } = await tx.query<{
    id: string;
    execution_id: string;
    step_id: string;
    user_id: string;
    status: string;
    comment: string | null;
    decided_at: Date | null;
  }>(
    `select id, execution_id, step_id, user_id, status, comment, decided_at from public.workflow_approvals
      where decided_by = $1 and user_id <> $1 order by decided_at, id`,
    [userId],
  );
  return rows.map((row) => ({
    approvalId: row.id,
    executionId: row.execution_id,
    stepId: row.step_id,
    requestedBy: row.user_id,
    decision: row.status,
    comment: row.comment,
    decidedAt: row.decided_at?.toISOString() ?? null,
  }));
}

/** Forgets the user's request counters (private, so not among the owned tables). */
export async function deleteRequestCounts(tx: Queryable, userId: string): Promise<number> {
  const { rowCount } = await tx.query('delete from app_private.user_request_counts where user_id = $1', [
    userId,
  ]);
  return rowCount ?? 0;
}

/** Appends a data-rights request to the audit trail. */
export async function insertAudit(
  tx: Queryable,
  entry: {
    userId: string;
    action: 'export' | 'delete';
    requestId: string | null;
    rowCounts: Record<string, number>;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await tx.query(
    `insert into app_private.data_rights_audit (subject_user_id, action, request_id, row_counts, details)
     values ($1, $2, $3, $4, $5)`,
    [
      entry.userId,
      entry.action,
      entry.requestId,
      JSON.stringify(entry.rowCounts),
      JSON.stringify(entry.details ?? {}),
    ],
  );
}
