// The data layer of the per-user request limit (app_private.consume_user_request).
import type { Queryable } from '../db/database.ts';

export interface RequestLimitDecision {
  allowed: boolean;
  used: number;
  limit: number;
  /** Seconds until the current minute's window ends. */
  resetSeconds: number;
}

/** Counts one request of `userId` in the current minute against `limit` (or the user's lower setting). */
export async function consumeUserRequest(
  tx: Queryable,
  userId: string,
  limit: number,
): Promise<RequestLimitDecision> {
  const { rows } = await tx.query<{
    allowed: boolean;
    used: number;
    request_limit: number;
    reset_seconds: number;
  }>('select allowed, used, request_limit, reset_seconds from app_private.consume_user_request($1, $2)', [
    userId,
    limit,
  ]);
  const row = rows[0]!;
  return { allowed: row.allowed, used: row.used, limit: row.request_limit, resetSeconds: row.reset_seconds };
}

/** Forgets request counts of windows that ended before `olderThanSeconds` ago (a user who never came back). */
export async function pruneRequestCounts(tx: Queryable, olderThanSeconds = 3600): Promise<number> {
  const { rowCount } = await tx.query(
    `delete from app_private.user_request_counts where window_start < now() - make_interval(secs => $1)`,
    [olderThanSeconds],
  );
  return rowCount ?? 0;
}
