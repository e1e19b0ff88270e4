-- Rollback of 20261202150100_user_request_leases.sql: one upsert per request again. Loses the current minute's
-- counts (harmless: the minute starts afresh).
drop function if exists app_private.lease_user_requests(uuid, integer);
alter table app_private.user_request_counts drop column if exists leases;
comment on column app_private.user_request_counts.requests is null;

-- Counts one request of p_user_id in the current minute and says whether it is within the limit: the user's
-- user_ai_settings.requests_per_minute when it is lower than the deployment's p_limit (a user may tighten the
-- limit, never lift it), else p_limit. Rejected requests count too, so hammering does not help.
create function app_private.consume_user_request(p_user_id uuid, p_limit integer)
returns table (allowed boolean, used integer, request_limit integer, reset_seconds integer)
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_now timestamptz := pg_catalog.clock_timestamp();
  v_window timestamptz := date_trunc('minute', v_now);
  v_limit integer;
  v_used integer;
begin
  if p_limit < 1 then
    raise exception 'consume_user_request: the limit must be at least 1' using errcode = '22023';
  end if;
  select least(s.requests_per_minute, p_limit) into v_limit
  from public.user_ai_settings s where s.user_id = p_user_id;
  v_limit := coalesce(v_limit, p_limit);

  insert into app_private.user_request_counts as c (user_id, window_start, requests)
  values (p_user_id, v_window, 1)
  on conflict (user_id, window_start) do update set requests = c.requests + 1
  returning c.requests into v_used;
  if v_used = 1 then
    -- Once per user and minute: forget the user's earlier minutes.
    delete from app_private.user_request_counts c where c.user_id = p_user_id and c.window_start < v_window;
  end if;

  return query select
    v_used <= v_limit,
    v_used,
    v_limit,
    greatest(1, ceil(extract(epoch from v_window + interval '1 minute' - v_now)))::integer;
end;
$$;

comment on function app_private.consume_user_request(uuid, integer) is
  'Counts a request of a user in the current minute; allowed while within min(user setting, p_limit).';

revoke all on function app_private.consume_user_request(uuid, integer) from public, anon, authenticated;
grant execute on function app_private.consume_user_request(uuid, integer) to service_role;
