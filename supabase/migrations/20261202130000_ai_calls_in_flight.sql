-- Paid calls in flight: a row is written before a paid provider call is made (in the transaction that checked
-- the user's budget) and deleted in the transaction that writes the call's ai_processing_logs row. A process
-- killed in between leaves the row, with the call's estimated tokens and cost: the daily budget counts it, and
-- settle_abandoned_ai_calls turns it into an `error` log row (error_code `abandoned`) once it is stale. So a
-- paid answer is never unaccounted, whatever happens to the process after the request was sent.
-- Service-only (schema ai_private): RLS on with no policy, no grant to anon or authenticated.
-- Rollback: supabase/rollbacks/20261202130000_ai_calls_in_flight.sql
create table ai_private.ai_calls_in_flight (
  id bigint generated always as identity primary key,
  user_id uuid references auth.users (id) on delete cascade,
  request_id text,
  operation text not null,
  provider text not null,
  model text,
  tokens_in integer not null default 0 check (tokens_in >= 0),
  tokens_out integer not null default 0 check (tokens_out >= 0),
  cost_usd numeric(12, 6) not null default 0 check (cost_usd >= 0),
  created_at timestamptz not null default now()
);

comment on table ai_private.ai_calls_in_flight is
  'Paid AI calls sent and not yet logged, with their estimated usage; counted by the daily budget.';

create index ai_calls_in_flight_user_id_created_at_idx on ai_private.ai_calls_in_flight (user_id, created_at);
create index ai_calls_in_flight_created_at_idx on ai_private.ai_calls_in_flight (created_at);

alter table ai_private.ai_calls_in_flight enable row level security;

revoke all on table ai_private.ai_calls_in_flight from anon, authenticated;
grant select, insert, delete on table ai_private.ai_calls_in_flight to service_role;

-- Moves calls in flight for longer than `older_than` (their process died) into ai_processing_logs as errors with
-- the estimate they were opened with; returns how many. Deleted and inserted in one statement.
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
