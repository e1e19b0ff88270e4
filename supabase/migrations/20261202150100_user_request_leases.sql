-- The per-user request limit without a hot row: an instance takes the tokens of a user's minute in leases of
-- up to limit / 40 (at least 1) and spends them in memory, so a heavy user's requests touch the user's counter
-- row once per lease instead of once per request. The limit stays exact from above (leases never grant more
-- than the minute's limit, and a lease dies with its minute); from below an instance can be left holding at
-- most lease - 1 unspent tokens when another runs dry, so four instances admit at least 90% of the limit.
-- Replaces app_private.consume_user_request (one upsert of the same row per request).
-- Rollback: supabase/rollbacks/20261202150100_user_request_leases.sql

comment on column app_private.user_request_counts.requests is
  'Tokens of this minute leased to instances so far (never above the limit); each is one request at most.';

alter table app_private.user_request_counts add column leases integer not null default 0 check (leases >= 0);
comment on column app_private.user_request_counts.leases is
  'How many leases were taken from this row this minute: the number of times a request touched it.';

drop function app_private.consume_user_request(uuid, integer);

-- Leases up to greatest(1, limit / 40) of the current minute's tokens of p_user_id, and never more than the
-- minute has left: the user's user_ai_settings.requests_per_minute when it is lower than the deployment's
-- p_limit (a user may tighten the limit, never lift it), else p_limit. Granted 0 means the minute is used up.
-- The row is locked from the select to the update only (one autocommit statement): concurrent leases of one
-- user queue for microseconds, and they come once per lease, not once per request.
create function app_private.lease_user_requests(p_user_id uuid, p_limit integer)
returns table (granted integer, used integer, request_limit integer, reset_ms integer)
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_now timestamptz := pg_catalog.clock_timestamp();
  v_window timestamptz := date_trunc('minute', v_now);
  v_limit integer;
  v_used integer;
  v_granted integer;
begin
  if p_limit < 1 then
    raise exception 'lease_user_requests: the limit must be at least 1' using errcode = '22023';
  end if;
  select least(s.requests_per_minute, p_limit) into v_limit
  from public.user_ai_settings s where s.user_id = p_user_id;
  v_limit := coalesce(v_limit, p_limit);

  insert into app_private.user_request_counts (user_id, window_start, requests)
  values (p_user_id, v_window, 0)
  on conflict (user_id, window_start) do nothing;
  if found then
    -- Once per user and minute: forget the user's earlier minutes.
    delete from app_private.user_request_counts c where c.user_id = p_user_id and c.window_start < v_window;
  end if;

  select c.requests into v_used
  from app_private.user_request_counts c
  where c.user_id = p_user_id and c.window_start = v_window
  for update;
  v_granted := greatest(0, least(greatest(1, v_limit / 40), v_limit - v_used));
  if v_granted > 0 then
    update app_private.user_request_counts c
    set requests = c.requests + v_granted, leases = c.leases + 1
    where c.user_id = p_user_id and c.window_start = v_window;
  end if;

  return query select
    v_granted,
    v_used + v_granted,
    v_limit,
    greatest(1, ceil(extract(epoch from v_window + interval '1 minute' - v_now) * 1000))::integer;
end;
$$;

comment on function app_private.lease_user_requests(uuid, integer) is
  'Leases up to limit / 40 (at least 1) of a user''s requests of the current minute; 0 once the minute is used up.';

revoke all on function app_private.lease_user_requests(uuid, integer) from public, anon, authenticated;
grant execute on function app_private.lease_user_requests(uuid, integer) to service_role;
