// Log retention: AI call logs (and the summaries derived from them) older than AI_LOG_RETENTION_DAYS go, and
// cached AI results past their expiry (AI_CACHE_TTL_SECONDS).
import type { Database, Queryable } from '../db/database.ts';
import { pruneRequestCounts } from '../http/request-limit-store.ts';
import type { JobHandler } from '../jobs/registry.ts';
import { deleteExpiredCache, deleteOldLogs, deleteOldSummaries } from './retention-store.ts';

export interface PruneResult {
  logs: number;
  rollup: number;
  alerts: number;
  requestCounts: number;
  /** Expired cached AI results. */
  cache: number;
  /** False when the time budget ran out first; the next run goes on where this one stopped. */
  complete: boolean;
}

/**
 * Deletes AI call logs older than `retentionDays` in batches of `batchSize`, each its own short transaction so
 * writers are never held up, until none is left or `budgetMs` has passed; then the rollup hours and alerts of
 * the same age, request counters of past minutes and expired cached results (batched the same way).
 * Idempotent: a second run finds nothing more to delete.
 */
export async function pruneAiLogs(
  db: Database,
  options: { retentionDays: number; batchSize?: number; budgetMs?: number; signal?: AbortSignal },
): Promise<PruneResult> {
  const batchSize = options.batchSize ?? 10_000;
  const deadline = performance.now() + (options.budgetMs ?? 50_000);
  // Deletes batch after batch, each its own transaction, until one comes back short (complete) or the time
  // budget or the job's signal says stop. Retention is the service's own housekeeping across every user.
  async function inBatches(deleteBatch: (tx: Queryable) => Promise<number>) {
    let deleted = 0;
    while (performance.now() < deadline && !options.signal?.aborted) {
      const batch = await db.asService(deleteBatch);
      deleted += batch;
      if (batch < batchSize) return { deleted, complete: true };
    }
    return { deleted, complete: false };
  }
  const logs = await inBatches((tx) => deleteOldLogs(tx, options.retentionDays, batchSize));
  const summaries = await db.asService((tx) => deleteOldSummaries(tx, options.retentionDays));
  const requestCounts = await db.asService((tx) => pruneRequestCounts(tx));
  const cache = await inBatches((tx) => deleteExpiredCache(tx, batchSize));
  return { logs: logs.deleted, ...summaries, requestCounts, cache: cache.deleted, complete: logs.complete };
}

/**
 * Wraps the handler of the cleanup schedule (`ai.cleanup_expired_workflows`) so each run also applies the log
 * retention; the result carries both.
 */
export function withLogRetention<T>(
  handler: JobHandler<T>,
  services: { db: Database; config: { ops: { logRetentionDays: number } } },
): JobHandler<T> {
  return async function cleanupWithLogRetention(data, context) {
    const result = await handler(data, context);
    const retention = await pruneAiLogs(services.db, {
      retentionDays: services.config.ops.logRetentionDays,
      signal: context.signal,
    });
    if (retention.logs > 0 || retention.cache > 0) context.logger.info('ai logs pruned', { ...retention });
    return { ...(typeof result === 'object' && result !== null ? result : { result }), retention };
  };
}
