-- A paid call is opened in ai_calls_in_flight at its budget check, before the provider pacer lets it go (it may
-- wait there for a start or a concurrency slot). sent_at is set when the pacer releases its first HTTP attempt,
-- so a process killed meanwhile leaves rows that say whether the provider could have been asked:
-- settle_abandoned_ai_calls logs the sent ones as `abandoned` errors at their estimate, as before, and deletes
-- the unsent ones without a log row (nothing was asked, nothing paid). Both kinds count toward the daily budget
-- while they are in flight, so calls waiting in the pacer cannot overrun it.
-- Rows opened before this migration may have been sent: they are marked sent at their creation.
-- Rollback: supabase/rollbacks/20261202130200_ai_calls_in_flight_sent.sql
alter table ai_private.ai_calls_in_flight add column sent_at timestamptz;

update ai_private.ai_calls_in_flight set sent_at = created_at;

comment on column ai_private.ai_calls_in_flight.sent_at is
  'When the provider pacer let the call''s first HTTP attempt go; null while it waits (never sent if it dies).';

grant update (sent_at) on table ai_private.ai_calls_in_flight to service_role;

-- Settles calls whose process died: a sent call `older_than` past its sending becomes an `error` log row
-- (error_code `abandoned`) with its estimate; an unsent call `older_than` past its opening is deleted unlogged.
-- Returns how many of each. Deleted and inserted in one statement.
drop function ai_private.settle_abandoned_ai_calls(interval);

create function ai_private.settle_abandoned_ai_calls(older_than interval default interval '15 minutes')
returns table (logged integer, unsent integer)
language sql
security invoker
set search_path = ''
as $$
  with gone as (
    delete from ai_private.ai_calls_in_flight
    where coalesce(sent_at, created_at) < pg_catalog.now() - older_than
    returning user_id, request_id, operation, provider, model, tokens_in, tokens_out, cost_usd, created_at, sent_at
  ), logged as (
    insert into public.ai_processing_logs
      (user_id, request_id, operation, provider, model, tokens_in, tokens_out, cost_usd, latency_ms, status,
       error_code, error_message)
    select user_id, request_id, operation, provider, model, tokens_in, tokens_out, cost_usd,
           least(2147483647, (extract(epoch from pg_catalog.now() - created_at) * 1000)::bigint)::integer,
           'error', 'abandoned', 'the process making the call stopped before it was logged; usage estimated'
    from gone
    where sent_at is not null
    returning 1
  )
  select (select count(*)::integer from logged), (select count(*)::integer from gone where sent_at is null)
$$;

revoke all on function ai_private.settle_abandoned_ai_calls(interval) from public, anon, authenticated;
grant execute on function ai_private.settle_abandoned_ai_calls(interval) to service_role;
