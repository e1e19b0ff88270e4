// The data layer of the metrics time series (GET /ai/metrics `series`): fixed-width buckets over the window,
// each with its calls, errors, tokens, cost and latency percentiles. Like the totals it reads the hourly rollup
// up to its watermark and the raw log rows after it; the 1h window's 5-minute buckets come from the raw rows.
import type { Queryable } from '../db/database.ts';

/** One bucket of the series, starting at `start`. */
export interface SeriesRow {
  start: Date;
  calls: number;
  errors: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  p50: number | null;
  p95: number | null;
}

/** Where the series reads the rollup ([rollStart, rollEnd)) and the raw rows ([rollEnd, until)). */
export interface SeriesRanges {
  rollStart: Date;
  rollEnd: Date;
  until: Date;
  bucketSeconds: number;
}

// Percentiles as in the totals query: linear inside the log-scale bucket that holds the rank.
const SERIES_SQL = `
with raw as materialized (
  select to_timestamp(floor(extract(epoch from l.created_at) / $4) * $4) as t,
         l.status, l.tokens_in, l.tokens_out, l.cost_usd, l.latency_ms
  from public.ai_processing_logs l where l.created_at >= $2 and l.created_at < $3
),
rolled as materialized (
  select to_timestamp(floor(extract(epoch from r.bucket_start) / $4) * $4) as t,
         r.calls, r.errors, r.tokens_in, r.tokens_out, r.cost_usd, r.latency_histogram
  from public.ai_metrics_rollup r where r.bucket_start >= $1 and r.bucket_start < $2
),
totals as (
  select t, sum(calls)::bigint as calls, sum(errors)::bigint as errors, sum(tokens_in)::bigint as tokens_in,
         sum(tokens_out)::bigint as tokens_out, sum(cost_usd) as cost_usd
  from (
    select t, count(*) as calls, count(*) filter (where status = 'error') as errors,
           coalesce(sum(tokens_in), 0) as tokens_in, coalesce(sum(tokens_out), 0) as tokens_out,
           coalesce(sum(cost_usd), 0) as cost_usd
    from raw group by t
    union all
    select t, sum(calls), sum(errors), sum(tokens_in), sum(tokens_out), sum(cost_usd) from rolled group by t
  ) parts
  group by t
),
hist as (
  select t, bucket, sum(n)::float8 as n
  from (
    select t, public.ai_latency_bucket(latency_ms) as bucket, count(*) as n
    from raw where latency_ms is not null group by 1, 2
    union all
    select r.t, h.key::integer, sum(h.value::bigint)
    from rolled r cross join lateral jsonb_each_text(r.latency_histogram) h group by 1, 2
  ) parts
  group by 1, 2
  having sum(n) > 0
),
cum as (
  select t, bucket, n, sum(n) over (partition by t order by bucket) as upto, sum(n) over (partition by t) as total
  from hist
),
pct as (
  select distinct on (c.t, q.p) c.t, q.p,
    (power(2::float8, c.bucket / 4.0::float8) - 1)
      + (power(2::float8, (c.bucket + 1) / 4.0::float8) - power(2::float8, c.bucket / 4.0::float8))
      * least(1, greatest(0, (q.p * c.total - (c.upto - c.n)) / c.n)) as ms
  from cum c cross join (values (0.5::float8), (0.95::float8)) as q (p)
  where c.upto >= q.p * c.total
  order by c.t, q.p, c.bucket
)
select tt.t, tt.calls, tt.errors, tt.tokens_in, tt.tokens_out, tt.cost_usd,
       max(p.ms) filter (where p.p = 0.5) as p50, max(p.ms) filter (where p.p = 0.95) as p95
from totals tt left join pct p on p.t = tt.t
group by tt.t, tt.calls, tt.errors, tt.tokens_in, tt.tokens_out, tt.cost_usd
order by tt.t`;

interface Row {
  t: Date;
  calls: string;
  errors: string;
  tokens_in: string | null;
  tokens_out: string | null;
  cost_usd: string | null;
  p50: number | null;
  p95: number | null;
}

/** The buckets that hold calls, oldest first; whatever the transaction may see (RLS for a user). */
export async function querySeries(tx: Queryable, ranges: SeriesRanges): Promise<SeriesRow[]> {
  const { rows } = await tx.query<Row>(SERIES_SQL, [
    ranges.rollStart,
    ranges.rollEnd,
    ranges.until,
    ranges.bucketSeconds,
  ]);
  return rows.map((row) => ({
    start: row.t,
    calls: Number(row.calls),
    errors: Number(row.errors),
    tokensIn: Number(row.tokens_in ?? 0),
    tokensOut: Number(row.tokens_out ?? 0),
    costUsd: Number(row.cost_usd ?? 0),
    p50: row.p50,
    p95: row.p95,
  }));
}
