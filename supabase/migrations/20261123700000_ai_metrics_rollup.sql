-- Hourly rollup of ai_processing_logs, so GET /ai/metrics and the cost budget stay fast at millions of log rows:
-- per hour, user, operation and provider, the counts and sums and a latency histogram on fixed log-scale buckets
-- (percentiles are read from the summed histograms). Readers combine the rollup's complete hours with the raw
-- rows after its watermark, so a late or absent refresh costs speed, never correctness.
-- Rollback: supabase/rollbacks/20261123700000_ai_metrics_rollup.sql

-- Latency bucket of a call: floor(4 * log2(ms + 1)), so each bucket is 2^(1/4) (about 19%) wider than the one
-- below; 0 ms is bucket 0 and anything from about 9 hours up shares bucket 99. Null latency, null bucket.
create function public.ai_latency_bucket(latency_ms integer)
returns integer
language sql
immutable
parallel safe
security invoker
set search_path = ''
as $$
  select case when latency_ms is not null then
    least(99, floor(4 * pg_catalog.ln(greatest(latency_ms, 0)::double precision + 1) / pg_catalog.ln(2)))::integer
  end
$$;

comment on function public.ai_latency_bucket(integer) is
  'Log-scale latency bucket (4 per doubling, 0..99) shared by the metrics rollup and the metrics query.';

revoke all on function public.ai_latency_bucket(integer) from public, anon;
grant execute on function public.ai_latency_bucket(integer) to authenticated, service_role;

create table public.ai_metrics_rollup (
  id bigint generated always as identity primary key,
  -- Null for calls no user started, as in ai_processing_logs.
  user_id uuid references auth.users (id) on delete cascade,
  bucket_start timestamptz not null check (bucket_start = date_trunc('hour', bucket_start, 'UTC')),
  operation text not null,
  provider text not null,
  calls integer not null check (calls >= 0),
  errors integer not null check (errors >= 0),
  cached integer not null check (cached >= 0),
  tokens_in bigint not null check (tokens_in >= 0),
  tokens_out bigint not null check (tokens_out >= 0),
  cost_usd numeric(18, 6) not null check (cost_usd >= 0),
  latency_sum_ms bigint not null check (latency_sum_ms >= 0),
  latency_count integer not null check (latency_count >= 0),
  -- {"<bucket>": calls}: only the buckets that hold calls.
  latency_histogram jsonb not null default '{}'::jsonb check (jsonb_typeof(latency_histogram) = 'object'),
  created_at timestamptz not null default now(),
  -- One row per group; nulls not distinct so the no-user group is one row too. Leads with user_id for RLS.
  constraint ai_metrics_rollup_group_key unique nulls not distinct (user_id, bucket_start, operation, provider)
);

comment on table public.ai_metrics_rollup is
  'Hourly per-user, per-operation, per-provider totals of ai_processing_logs; rebuilt by app_private.refresh_ai_metrics_rollup().';

-- The refresh replaces whole hours, and the operator view reads every user's hours.
create index ai_metrics_rollup_bucket_start_idx on public.ai_metrics_rollup (bucket_start);

alter table public.ai_metrics_rollup enable row level security;

create policy select_own on public.ai_metrics_rollup
  for select to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.ai_metrics_rollup from anon, authenticated;
grant select on table public.ai_metrics_rollup to authenticated;
grant all on table public.ai_metrics_rollup to service_role;

-- How far the rollup is complete: every hour before rolled_up_to is in the rollup. One row.
create table app_private.ai_metrics_rollup_state (
  id boolean primary key default true check (id),
  rolled_up_to timestamptz,
  refreshed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

insert into app_private.ai_metrics_rollup_state (id) values (true);

revoke all on table app_private.ai_metrics_rollup_state from public, anon, authenticated;
grant select on table app_private.ai_metrics_rollup_state to service_role;

-- Rebuilds the rollup's hours from p_from (default: two hours before the watermark, or the first log) up to the
-- last hour that ended p_settle ago, a day at a time, and moves the watermark there. Each hour is replaced
-- whole (delete, then insert from the logs), so running it twice, or over hours already rolled up, leaves the
-- same rows; the two-hour look-back picks up a call whose log row committed after its hour was rolled up.
-- One run at a time (advisory lock); the logs' created_at index bounds every scan.
create function app_private.refresh_ai_metrics_rollup(
  p_from timestamptz default null,
  p_settle interval default interval '2 minutes'
)
returns table (rolled_from timestamptz, rolled_up_to timestamptz, groups integer)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_to timestamptz := date_trunc('hour', now() - p_settle, 'UTC');
  v_mark timestamptz;
  v_from timestamptz;
  v_chunk timestamptz;
  v_next timestamptz;
  v_rows integer;
  v_groups integer := 0;
begin
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('app_private.refresh_ai_metrics_rollup'));
  select s.rolled_up_to into v_mark from app_private.ai_metrics_rollup_state s where s.id for update;
  v_from := coalesce(
    p_from,
    least(v_mark, v_to - interval '2 hours'),
    (select min(l.created_at) from public.ai_processing_logs l),
    v_to
  );
  v_from := date_trunc('hour', v_from, 'UTC');
  v_chunk := v_from;
  while v_chunk < v_to loop
    v_next := least(v_chunk + interval '1 day', v_to);
    delete from public.ai_metrics_rollup r where r.bucket_start >= v_chunk and r.bucket_start < v_next;
    insert into public.ai_metrics_rollup as r (
      user_id, bucket_start, operation, provider, calls, errors, cached, tokens_in, tokens_out, cost_usd,
      latency_sum_ms, latency_count, latency_histogram
    )
    select
      f.user_id, f.bucket_start, f.operation, f.provider, sum(f.calls), sum(f.errors), sum(f.cached),
      sum(f.tokens_in), sum(f.tokens_out), sum(f.cost_usd), coalesce(sum(f.latency_sum_ms), 0),
      sum(f.latency_count),
      coalesce(jsonb_object_agg(f.bucket::text, f.latency_count) filter (where f.bucket is not null), '{}'::jsonb)
    from (
      select
        l.user_id, date_trunc('hour', l.created_at, 'UTC') as bucket_start, l.operation, l.provider,
        public.ai_latency_bucket(l.latency_ms) as bucket,
        count(*) as calls,
        count(*) filter (where l.status = 'error') as errors,
        count(*) filter (where l.status = 'cached') as cached,
        sum(l.tokens_in) as tokens_in,
        sum(l.tokens_out) as tokens_out,
        sum(l.cost_usd) as cost_usd,
        sum(l.latency_ms) as latency_sum_ms,
        count(l.latency_ms) as latency_count
      from public.ai_processing_logs l
      where l.created_at >= v_chunk and l.created_at < v_next
      group by 1, 2, 3, 4, 5
    ) f
    group by f.user_id, f.bucket_start, f.operation, f.provider;
    get diagnostics v_rows = row_count;
    v_groups := v_groups + v_rows;
    v_chunk := v_next;
  end loop;
  update app_private.ai_metrics_rollup_state s
  set rolled_up_to = greatest(v_to, coalesce(v_mark, v_to)), refreshed_at = now(), updated_at = now()
  where s.id;
  return query select v_from, greatest(v_to, coalesce(v_mark, v_to)), v_groups;
end;
$$;

comment on function app_private.refresh_ai_metrics_rollup(timestamptz, interval) is
  'Rebuilds the hourly metrics rollup from p_from (default: two hours back) to the last settled hour; idempotent.';

revoke all on function app_private.refresh_ai_metrics_rollup(timestamptz, interval) from public, anon, authenticated;
grant execute on function app_private.refresh_ai_metrics_rollup(timestamptz, interval) to service_role;
