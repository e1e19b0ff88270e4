// AI metrics (GET /ai/metrics): per operation and provider over a window, plus the health of every queue.
import type { Claims } from '../auth/claims.ts';
import { isUser } from '../auth/claims.ts';
import type { Database, Queryable } from '../db/database.ts';
import { readQueueHealth, readUserQueueHealth } from '../jobs/health.ts';
import { querySeries, type SeriesRanges, type SeriesRow } from './metrics-series-store.ts';
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

// The series' bucket width per window: 12, 24 and 28 buckets.
const BUCKET_SECONDS: Record<MetricsWindow, number> = { '1h': 300, '24h': 3_600, '7d': 6 * 3_600 };

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
 * The metrics a caller may see: a user's own calls (read as the user, so RLS scopes them) and the user's own
 * jobs in each queue, or, for the service role, every user's calls and the queues' deployment-wide counts
 * (the operator view).
 */
export async function getAiMetrics(db: Database, claims: Claims, window: MetricsWindow): Promise<Metrics> {
  // The watermark and pg-boss are private: the service role reads both, for a user counting only their jobs.
  const queuesOf = (tx: Parameters<typeof readQueueHealth>[0]) =>
    isUser(claims) ? readUserQueueHealth(tx, claims.sub) : readQueueHealth(tx);
  let { mark, queues } = await db.asService(
    async (tx) => ({ mark: await readRollupMark(tx), queues: await queuesOf(tx) }),
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
    const series = seriesRanges(window, since, until, mark.rolledUpTo);
    const read = async (tx: Queryable) => ({
      rows: await queryOperationMetrics(tx, ranges),
      points: await querySeries(tx, series),
    });
    const { rows, points } = isUser(claims)
      ? await db.asUser(claims, read, { readOnly: true })
      : await db.asService(read, { readOnly: true });
    const after = await db.asService((tx) => readRollupMark(tx), { readOnly: true });
    if (after.rolledUpTo?.getTime() === mark.rolledUpTo?.getTime() || attempt >= 3)
      return {
        ...assemble(rows, { window, since, until, scope: isUser(claims) ? 'user' : 'all', queues }),
        series: presentSeries(points, series),
      };
    mark = after;
    queues = await db.asService((tx) => queuesOf(tx), { readOnly: true });
  }
}

/**
 * The series reads whole rollup hours from the hour that holds `since` up to the watermark, and the raw rows
 * after it; the 1h window (5-minute buckets, finer than the rollup) reads only raw rows.
 */
function seriesRanges(
  window: MetricsWindow,
  since: Date,
  until: Date,
  rolledUpTo: Date | null,
): SeriesRanges {
  const bucketSeconds = BUCKET_SECONDS[window];
  if (window === '1h') return { rollStart: since, rollEnd: since, until, bucketSeconds };
  const rollStart = new Date(Math.floor(since.getTime() / 3_600_000) * 3_600_000);
  const mark = rolledUpTo?.getTime() ?? rollStart.getTime();
  const rollEnd = new Date(Math.min(Math.max(mark, rollStart.getTime()), until.getTime()));
  return { rollStart, rollEnd, until, bucketSeconds };
}

/** Every bucket of the window, oldest first, the empty ones as zeros. */
function presentSeries(points: SeriesRow[], ranges: SeriesRanges): Metrics['series'] {
  const width = ranges.bucketSeconds * 1000;
  const byStart = new Map(points.map((point) => [point.start.getTime(), point]));
  const first = Math.floor(ranges.rollStart.getTime() / width) * width;
  const buckets: Metrics['series']['buckets'] = [];
  for (let start = first; start < ranges.until.getTime(); start += width) {
    const point = byStart.get(start);
    buckets.push({
      start: new Date(start).toISOString(),
      calls: point?.calls ?? 0,
      errors: point?.errors ?? 0,
      errorRate: rate(point?.errors ?? 0, point?.calls ?? 0),
      p50: ms(point?.p50 ?? null),
      p95: ms(point?.p95 ?? null),
      tokensIn: point?.tokensIn ?? 0,
      tokensOut: point?.tokensOut ?? 0,
      costUsd: usd(point?.costUsd ?? 0),
    });
  }
  return { bucketSeconds: ranges.bucketSeconds, buckets };
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
): Omit<Metrics, 'series'> {
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
