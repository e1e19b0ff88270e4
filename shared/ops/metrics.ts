// AI metrics (GET /ai/metrics): per operation and provider over a window, plus the health of every queue.
import type { Claims } from '../auth/claims.ts';
import { isUser } from '../auth/claims.ts';
import type { Database } from '../db/database.ts';
import { readQueueHealth } from '../jobs/health.ts';
import {
  metricsRanges,
  type OperationRow,
  queryOperationMetrics,
  type RefreshResult,
  readRollupMark,
  refreshRollup,
} from './metrics-store.ts';
import type { Metrics, MetricsWindow, OperationMetrics } from './schemas.ts';

const WINDOW_MS: Record<MetricsWindow, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 };

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
const ms = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);
const usd = (value: number) => Math.round(value * 1e6) / 1e6;

function present(row: OperationRow): OperationMetrics {
  return {
    operation: row.operation,
    provider: row.provider,
    calls: row.calls,
    errors: row.errors,
    cached: row.cached,
    errorRate: rate(row.errors, row.calls),
    latencyMs: {
      p50: ms(row.p50),
      p95: ms(row.p95),
      p99: ms(row.p99),
      avg: row.latencyCount > 0 ? ms(row.latencySumMs / row.latencyCount) : null,
    },
    tokensIn: row.tokensIn,
    tokensOut: row.tokensOut,
    costUsd: usd(row.costUsd),
  };
}

/**
 * The metrics a caller may see: a user's own calls (read as the user, so RLS scopes them), or, for the service
 * role, every user's (the operator view). Queue health is deployment-wide counts, the same for everyone.
 */
export async function getAiMetrics(db: Database, claims: Claims, window: MetricsWindow): Promise<Metrics> {
  // The watermark is private state and the queues span all users: the service role reads both.
  let { mark, queues } = await db.asService(
    async (tx) => ({ mark: await readRollupMark(tx), queues: await readQueueHealth(tx) }),
    { readOnly: true },
  );
  // The user's rows are read in another transaction than the watermark. A refresh committing in between
  // would extend the current hour's rollup row past the mark just read, counting those minutes twice; it
  // always moves the watermark, so reading it again tells, and the read is repeated (refreshes are a minute
  // apart, so once is almost always enough).
  for (let attempt = 0; ; attempt++) {
    const until = mark.now;
    const since = new Date(until.getTime() - WINDOW_MS[window]);
    const ranges = metricsRanges(since, until, mark.rolledUpTo);
    const rows = isUser(claims)
      ? await db.asUser(claims, (tx) => queryOperationMetrics(tx, ranges), { readOnly: true })
      : await db.asService((tx) => queryOperationMetrics(tx, ranges), { readOnly: true });
    const after = await db.asService((tx) => readRollupMark(tx), { readOnly: true });
    if (after.rolledUpTo?.getTime() === mark.rolledUpTo?.getTime() || attempt >= 3)
      return assemble(rows, { window, since, until, scope: isUser(claims) ? 'user' : 'all', queues });
    mark = after;
    queues = await db.asService((tx) => readQueueHealth(tx), { readOnly: true });
  }
}

/** The response: per-operation rows, their totals, and queue health. */
function assemble(
  rows: OperationRow[],
  context: {
    window: MetricsWindow;
    since: Date;
    until: Date;
    scope: Metrics['scope'];
    queues: Awaited<ReturnType<typeof readQueueHealth>>;
  },
): Metrics {
  const { window, since, until, scope, queues } = context;
  const operations = rows.map(present);
  const sum = (pick: (row: OperationRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const calls = sum((row) => row.calls);
  const errors = sum((row) => row.errors);
  return {
    scope,
    window,
    since: since.toISOString(),
    until: until.toISOString(),
    totals: {
      calls,
      errors,
      errorRate: rate(errors, calls),
      tokensIn: sum((row) => row.tokensIn),
      tokensOut: sum((row) => row.tokensOut),
      costUsd: usd(sum((row) => row.costUsd)),
    },
    operations,
    queues: queues.map((q) => ({
      queue: q.queue,
      depth: q.queued,
      ready: q.ready,
      active: q.active,
      oldestWaitingSeconds: q.oldestReadySeconds,
      failed: q.failed,
      deadLettered: q.deadLettered,
    })),
  };
}

/**
 * Rebuilds the metrics rollup's recent hours (all hours from `options.from`, for a backfill) and moves its
 * watermark; idempotent. `ai.monitor_ai_processing` calls it every minute.
 */
export function refreshAiMetricsRollup(db: Database, options: { from?: Date } = {}): Promise<RefreshResult> {
  // Rolls up every user's logs: the service role's work, no user's request.
  return db.asService((tx) => refreshRollup(tx, options.from));
}
