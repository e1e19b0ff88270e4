// The data layer of log retention: batched deletes by age, each using its table's created_at index.
import type { Queryable } from '../db/database.ts';

/** Deletes up to `limit` AI call logs older than `days` days, oldest first; returns how many. */
export async function deleteOldLogs(tx: Queryable, days: number, limit: number): Promise<number> {
  const { rowCount } = await tx.query(
    `delete from public.ai_processing_logs
     where id in (
       select id from public.ai_processing_logs
       where created_at < now() - make_interval(days => $1)
       order by created_at
       limit $2
     )`,
    [days, limit],
  );
  return rowCount ?? 0;
}

/** Deletes the metrics rollup's hours and the alerts older than `days` days; returns how many of each. */
export async function deleteOldSummaries(
  tx: Queryable,
  days: number,
): Promise<{ rollup: number; alerts: number }> {
  const rollup = await tx.query(
    'delete from public.ai_metrics_rollup where bucket_start < now() - make_interval(days => $1)',
    [days],
  );
  const alerts = await tx.query(
    'delete from public.ai_alerts where created_at < now() - make_interval(days => $1)',
    [days],
  );
  return { rollup: rollup.rowCount ?? 0, alerts: alerts.rowCount ?? 0 };
}

/** Deletes up to `limit` expired cached AI results (their owner rows cascade); returns how many. */
export async function deleteExpiredCache(tx: Queryable, limit: number): Promise<number> {
  const { rowCount } = await tx.query(
    `delete from ai_private.ai_result_cache
     where cache_key in (
       select cache_key from ai_private.ai_result_cache where expires_at <= now() order by expires_at limit $1
     )`,
    [limit],
  );
  return rowCount ?? 0;
}
