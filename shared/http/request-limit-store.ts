// The data layer of the per-user request limit (app_private.lease_user_requests).
import type { Queryable } from '../db/database.ts';

export interface RequestLease {
  /** Requests this instance may admit from the lease (0: the minute is used up). */
  granted: number;
  /** Requests of the minute leased to every instance so far, this lease included. */
  used: number;
  limit: number;
  /** Milliseconds until the current minute's window ends (the lease dies with it). */
  resetMs: number;
}

/**
 * Leases up to `limit` / 40 (at least 1) of `userId`'s requests of the current minute, counted against `limit` or
 * the user's lower setting: one statement.
 */
export async function leaseUserRequests(tx: Queryable, userId: string, limit: number): Promise<RequestLease> {
  const { rows } = await tx.query<{
    granted: number;
    used: number;
    request_limit: number;
    reset_ms: number;
  }>('select granted, used, request_limit, reset_ms from app_private.lease_user_requests($1, $2)', [
    userId,
    limit,
  ]);
  const row = rows[0]!;
  return { granted: row.granted, used: row.used, limit: row.request_limit, resetMs: row.reset_ms };
}

/** Forgets request counts of windows that ended before `olderThanSeconds` ago (a user who never came back). */
export async function pruneRequestCounts(tx: Queryable, olderThanSeconds = 3600): Promise<number> {
  const { rowCount } = await tx.query(
    `delete from app_private.user_request_counts where window_start < now() - make_interval(secs => $1)`,
    [olderThanSeconds],
  );
  return rowCount ?? 0;
}
