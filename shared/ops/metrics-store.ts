// The data layer of AI metrics: the hourly rollup's watermark and refresh, and the metrics query that combines
// the rollup's complete hours with the raw log rows around them.
import type { Queryable } from '../db/database.ts';

/**
 * Where the rollup is complete (every log row before `rolledUpTo` is in it: whole hours, then the current
 * hour's row up to the mark) and the database's clock.
 */
export interface RollupMark {
  rolledUpTo: Date | null;
  now: Date;
}

/** Reads the rollup's watermark (service role: the state is private). */
export async function readRollupMark(tx: Queryable): Promise<RollupMark> {
  const { rows } = await tx.query<{ rolled_up_to: Date | null; now: Date }>(
    `select (select rolled_up_to from app_private.ai_metrics_rollup_state) as rolled_up_to, now() as now`,
  );
  return { rolledUpTo: rows[0]!.rolled_up_to, now: rows[0]!.now };
}

export interface RefreshResult {
  rolledFrom: Date;
  rolledUpTo: Date;
  groups: number;
}

/** Rebuilds the rollup's recent hours (or every hour from `from`) and moves the watermark. */
export async function refreshRollup(tx: Queryable, from?: Date): Promise<RefreshResult> {
  const { rows } = await tx.query<{ rolled_from: Date; rolled_up_to: Date; groups: number }>(
    'select rolled_from, rolled_up_to, groups from app_private.refresh_ai_metrics_rollup($1)',
    [from ?? null],
  );
  const row = rows[0]!;
  return { rolledFrom: row.rolled_from, rolledUpTo: row.rolled_up_to, groups: row.groups };
}

/** Which time ranges a query reads from the rollup and which from the raw rows. */
export interface MetricsRanges {
  since: Date;
  until: Date;
  /**
   * Rollup rows with bucket_start in [rollFrom, rollTo) count, and the logs of [rollTo, until). When rollFrom
   * is after since, the logs of [since, rollFrom) are added; when before, those of [rollFrom, since) are taken
   * out again (the head of the first hour, which the rollup counted).
   */
  rollFrom: Date;
  rollTo: Date;
}

const HOUR = 3_600_000;

/**
 * Splits [since, until) into the rolled-up part and the raw edges around it: the rollup up to its watermark
 * (its last row, the current hour's, ends exactly there) and the logs after it; the window's first partial
 * hour from the logs, on whichever side of `since` is shorter (at most half an hour of rows).
 */
export function metricsRanges(since: Date, until: Date, rolledUpTo: Date | null): MetricsRanges {
  const start = since.getTime();
  const lead = Math.floor(start / HOUR) * HOUR;
  const next = Math.ceil(start / HOUR) * HOUR;
  const rollTo = rolledUpTo && rolledUpTo < until ? rolledUpTo : until;
  // The window's partial first hour is read from the logs on its shorter side: the part inside the window
  // is added, or the hour is taken from the rollup and the part before the window taken out again.
  const subtract = start - lead < next - start && rollTo.getTime() >= start;
  const rollFrom = new Date(subtract ? lead : next);
  if (!rolledUpTo || rollTo <= rollFrom) return { since, until, rollFrom: until, rollTo: until };
  return { since, until, rollFrom, rollTo };
}

export interface OperationRow {
  operation: string;
  provider: string;
  calls: number;
  errors: number;
  cached: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  latencySumMs: number;
  latencyCount: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

// Percentile of a bucket: linear between its bounds 2^(b/4) - 1 and 2^((b+1)/4) - 1, at the rank's place in it.
const METRICS_SQL = `
with raw as materialized (
  select 1 as sign, l.operation, l.provider, l.status, l.tokens_in, l.tokens_out, l.cost_usd, l.latency_ms
  from public.ai_processing_logs l where l.created_at >= $1 and l.created_at < $3
  union all
  -- The head of the first rolled-up hour, before the window starts: counted by the rollup, taken out again.
  select -1, l.operation, l.provider, l.status, l.tokens_in, l.tokens_out, l.cost_usd, l.latency_ms
  from public.ai_processing_logs l where l.created_at >= $3 and l.created_at < $1
  union all
  select 1, l.operation, l.provider, l.status, l.tokens_in, l.tokens_out, l.cost_usd, l.latency_ms
  from public.ai_processing_logs l where l.created_at >= $4 and l.created_at < $2
),
rolled as materialized (
  select r.operation, r.provider, r.calls, r.errors, r.cached, r.tokens_in, r.tokens_out, r.cost_usd,
         r.latency_sum_ms, r.latency_count, r.latency_histogram
  from public.ai_metrics_rollup r where r.bucket_start >= $3 and r.bucket_start < $4
),
totals as (
  select operation, provider, sum(calls)::bigint as calls, sum(errors)::bigint as errors,
         sum(cached)::bigint as cached, sum(tokens_in)::bigint as tokens_in, sum(tokens_out)::bigint as tokens_out,
         sum(cost_usd) as cost_usd, sum(latency_sum_ms)::bigint as latency_sum_ms,
         sum(latency_count)::bigint as latency_count
  from (
    select operation, provider, sum(sign) as calls, coalesce(sum(sign) filter (where status = 'error'), 0) as errors,
           coalesce(sum(sign) filter (where status = 'cached'), 0) as cached, sum(sign * tokens_in) as tokens_in,
           sum(sign * tokens_out) as tokens_out, sum(sign * cost_usd) as cost_usd,
           sum(sign * latency_ms) as latency_sum_ms,
           coalesce(sum(sign) filter (where latency_ms is not null), 0) as latency_count
    from raw group by 1, 2
    union all
    select operation, provider, sum(calls), sum(errors), sum(cached), sum(tokens_in), sum(tokens_out),
           sum(cost_usd), sum(latency_sum_ms), sum(latency_count)
    from rolled group by 1, 2
  ) parts
  group by 1, 2
),
hist as (
  select operation, provider, bucket, sum(n)::float8 as n
  from (
    select operation, provider, public.ai_latency_bucket(latency_ms) as bucket, sum(sign) as n
    from raw where latency_ms is not null group by 1, 2, 3
    union all
    select r.operation, r.provider, h.key::integer, sum(h.value::bigint)
    from rolled r cross join lateral jsonb_each_text(r.latency_histogram) h group by 1, 2, 3
  ) parts
  group by 1, 2, 3
  -- A bucket whose calls were all taken out again holds none.
  having sum(n) > 0
),
cum as (
  select operation, provider, bucket, n,
         sum(n) over (partition by operation, provider order by bucket) as upto,
         sum(n) over (partition by operation, provider) as total
  from hist
),
pct as (
  select distinct on (c.operation, c.provider, q.p) c.operation, c.provider, q.p,
    (power(2::float8, c.bucket / 4.0::float8) - 1)
      + (power(2::float8, (c.bucket + 1) / 4.0::float8) - power(2::float8, c.bucket / 4.0::float8))
      * least(1, greatest(0, (q.p * c.total - (c.upto - c.n)) / c.n)) as ms
  from cum c cross join (values (0.5::float8), (0.95::float8), (0.99::float8)) as q (p)
  where c.upto >= q.p * c.total
  order by c.operation, c.provider, q.p, c.bucket
)
select t.operation, t.provider, t.calls, t.errors, t.cached, t.tokens_in, t.tokens_out, t.cost_usd,
       t.latency_sum_ms, t.latency_count,
       max(p.ms) filter (where p.p = 0.5) as p50,
       max(p.ms) filter (where p.p = 0.95) as p95,
       max(p.ms) filter (where p.p = 0.99) as p99
from totals t
left join pct p on p.operation = t.operation and p.provider = t.provider
group by t.operation, t.provider, t.calls, t.errors, t.cached, t.tokens_in, t.tokens_out, t.cost_usd,
         t.latency_sum_ms, t.latency_count
order by t.operation, t.provider`;

interface MetricsRow {
  operation: string;
  provider: string;
  calls: string;
  errors: string;
  cached: string;
  tokens_in: string | null;
  tokens_out: string | null;
  cost_usd: string | null;
  latency_sum_ms: string | null;
  latency_count: string;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/**
 * Per operation and provider over the ranges: counts, tokens, cost and latency percentiles. Reads whatever
 * the transaction may see: one user's rows under RLS, every user's as the service role.
 */
export async function queryOperationMetrics(tx: Queryable, ranges: MetricsRanges): Promise<OperationRow[]> {
  const { rows } = await tx.query<MetricsRow>(METRICS_SQL, [
    ranges.since,
    ranges.until,
    ranges.rollFrom,
    ranges.rollTo,
  ]);
  return rows.map((row) => ({
    operation: row.operation,
    provider: row.provider,
    calls: Number(row.calls),
    errors: Number(row.errors),
    cached: Number(row.cached),
    tokensIn: Number(row.tokens_in ?? 0),
    tokensOut: Number(row.tokens_out ?? 0),
    costUsd: Number(row.cost_usd ?? 0),
    latencySumMs: Number(row.latency_sum_ms ?? 0),
    latencyCount: Number(row.latency_count),
    p50: row.p50,
    p95: row.p95,
    p99: row.p99,
  }));
}
