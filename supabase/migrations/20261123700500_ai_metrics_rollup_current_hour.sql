-- The rollup keeps up with the current hour: each refresh (every minute, from ai.monitor_ai_processing) rolls
-- the logs up to the settle point, not just to the last whole hour, so the current hour's row covers
-- [its hour, rolled_up_to) and readers take only the minutes after the watermark from the raw rows. Readers
-- are unchanged in form (rollup rows with bucket_start < mark, raw rows from mark): the mark is now any
-- instant instead of an hour boundary. A run still replaces whole hours (the current one included) from two
-- hours before the old watermark, so late-committing rows are picked up and a repeat changes nothing. The
-- first run (no watermark) now starts from the first log instead of two hours back.
-- Rollback: supabase/rollbacks/20261123700500_ai_metrics_rollup_current_hour.sql

create or replace function app_private.refresh_ai_metrics_rollup(
  p_from timestamptz default null,
  p_settle interval default interval '2 minutes'
)
returns table (rolled_from timestamptz, rolled_up_to timestamptz, groups integer)
language plpgsql
security definer
set search_path = ''
as $$
declare
  -- Up to the settle point itself, not its hour: the current hour is rolled up as far as it has gone.
  v_to timestamptz := now() - p_settle;
  v_mark timestamptz;
  v_from timestamptz;
  v_chunk timestamptz;
  v_next timestamptz;
  v_rows integer;
  v_groups integer := 0;
begin
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('app_private.refresh_ai_metrics_rollup'));
  select s.rolled_up_to into v_mark from app_private.ai_metrics_rollup_state s where s.id for update;
  -- The first run (no watermark yet) starts from the first log: least() ignores a null, so without this
  -- case it would start two hours back and leave older logs out of a rollup that claims them.
  v_from := coalesce(
    p_from,
    case when v_mark is not null then least(v_mark, v_to - interval '2 hours') end,
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
  'Rebuilds the metrics rollup from p_from (default: two hours back) up to now - p_settle, the current hour included; idempotent.';
