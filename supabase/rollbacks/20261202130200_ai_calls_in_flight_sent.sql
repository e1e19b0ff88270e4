-- Rollback of 20261202130200_ai_calls_in_flight_sent.sql: settle_abandoned_ai_calls as 20261202130000 made it
-- (every stale row logged as abandoned, returning the count), and no sent_at (lost; unsent rows then count as sent).
drop function if exists ai_private.settle_abandoned_ai_calls(interval);

create function ai_private.settle_abandoned_ai_calls(older_than interval default interval '15 minutes')
returns integer
language sql
security invoker
set search_path = ''
as $$
  with gone as (
    delete from ai_private.ai_calls_in_flight where created_at < pg_catalog.now() - older_than
    returning user_id, request_id, operation, provider, model, tokens_in, tokens_out, cost_usd, created_at
  ), logged as (
    insert into public.ai_processing_logs
      (user_id, request_id, operation, provider, model, tokens_in, tokens_out, cost_usd, latency_ms, status,
       error_code, error_message)
    select user_id, request_id, operation, provider, model, tokens_in, tokens_out, cost_usd,
           least(2147483647, (extract(epoch from pg_catalog.now() - created_at) * 1000)::bigint)::integer,
           'error', 'abandoned', 'the process making the call stopped before it was logged; usage estimated'
    from gone
    returning 1
  )
  select count(*)::integer from logged
$$;

revoke all on function ai_private.settle_abandoned_ai_calls(interval) from public, anon, authenticated;
grant execute on function ai_private.settle_abandoned_ai_calls(interval) to service_role;

alter table ai_private.ai_calls_in_flight drop column if exists sent_at;
