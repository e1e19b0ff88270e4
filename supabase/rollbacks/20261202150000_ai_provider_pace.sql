-- Rollback of 20261202150000_ai_provider_pace.sql: the window counters come back as 20261123300100 made them.
-- The pace table is shared state of the limiter only: nothing is lost that the next minute would not rebuild.
drop function if exists ai_private.reserve_ai_call(text, integer, integer, integer, integer);
drop function if exists ai_private.adjust_ai_call(text, integer, integer);
drop function if exists ai_private.block_ai_provider(text, integer);
drop function if exists ai_private.ai_provider_blocked_ms(text);
drop table if exists ai_private.ai_provider_pace;

create table ai_private.ai_rate_limits (
  provider text not null check (char_length(provider) between 1 and 64),
  window_start timestamptz not null,
  requests integer not null default 0 check (requests >= 0),
  tokens bigint not null default 0 check (tokens >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (provider, window_start)
);

comment on table ai_private.ai_rate_limits is
  'Requests and tokens admitted per AI provider and window; written only through consume_ai_rate_limit.';

alter table ai_private.ai_rate_limits enable row level security;

revoke all on table ai_private.ai_rate_limits from anon, authenticated;
grant all on table ai_private.ai_rate_limits to service_role;

-- Atomic check-and-consume. The current window's row is locked (insert ... on conflict, then select ... for
-- update), so concurrent callers from any process are admitted one at a time and the limit holds exactly.
-- A request larger than the whole token budget is counted as the whole budget: it runs alone rather than never.
-- Returns whether the call may go ahead and, when not, about how long to wait before asking again.
create function ai_private.consume_ai_rate_limit(
  p_provider text,
  p_requests integer,
  p_tokens integer,
  p_max_requests integer,
  p_max_tokens integer,
  p_window_seconds integer default 60
)
returns table (
  allowed boolean,
  retry_after_ms integer,
  requests_used double precision,
  tokens_used double precision,
  window_start timestamptz
)
language plpgsql
security invoker
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_now timestamptz := pg_catalog.clock_timestamp();
  v_width interval := pg_catalog.make_interval(secs => p_window_seconds);
  v_window timestamptz;
  v_elapsed double precision;
  v_prev_requests double precision := 0;
  v_prev_tokens double precision := 0;
  v_cur_requests double precision;
  v_cur_tokens double precision;
  v_tokens integer := least(p_tokens, p_max_tokens);
  v_wait double precision := 0;
  v_inserted boolean;
begin
  if p_requests < 0 or p_tokens < 0 or p_max_requests < 1 or p_max_tokens < 1 or p_window_seconds < 1 then
    raise exception 'consume_ai_rate_limit: counts must be >= 0, limits and window >= 1'
      using errcode = '22023';
  end if;
  v_window := pg_catalog.to_timestamp(
    floor(extract(epoch from v_now) / p_window_seconds) * p_window_seconds
  );
  v_elapsed := extract(epoch from v_now - v_window) / p_window_seconds;

  insert into ai_private.ai_rate_limits as l (provider, window_start)
  values (p_provider, v_window)
  on conflict (provider, window_start) do nothing
  returning true into v_inserted;
  if v_inserted then
    -- Once per provider and window: forget windows nobody will look at again.
    delete from ai_private.ai_rate_limits as l
    where l.provider = p_provider and l.window_start < v_window - pg_catalog.make_interval(hours => 1);
  end if;

  select l.requests, l.tokens into v_cur_requests, v_cur_tokens
  from ai_private.ai_rate_limits as l
  where l.provider = p_provider and l.window_start = v_window
  for update;

  select l.requests * (1 - v_elapsed), l.tokens * (1 - v_elapsed) into v_prev_requests, v_prev_tokens
  from ai_private.ai_rate_limits as l
  where l.provider = p_provider and l.window_start = v_window - v_width;
  v_prev_requests := coalesce(v_prev_requests, 0);
  v_prev_tokens := coalesce(v_prev_tokens, 0);

  if v_prev_requests + v_cur_requests + p_requests <= p_max_requests
     and v_prev_tokens + v_cur_tokens + v_tokens <= p_max_tokens then
    update ai_private.ai_rate_limits as l
    set requests = l.requests + p_requests, tokens = l.tokens + v_tokens, updated_at = v_now
    where l.provider = p_provider and l.window_start = v_window;
    return query select true, 0, v_prev_requests + v_cur_requests + p_requests,
      v_prev_tokens + v_cur_tokens + v_tokens, v_window;
    return;
  end if;

  -- How long until the weighted previous window has drained enough (or, when the current window alone is
  -- too full, until it has become the previous one and drained enough), for requests and tokens alike.
  v_wait := greatest(
    ai_private.ai_rate_limit_wait(v_prev_requests / greatest(1 - v_elapsed, 1e-9), v_cur_requests, p_requests,
      p_max_requests, v_elapsed),
    ai_private.ai_rate_limit_wait(v_prev_tokens / greatest(1 - v_elapsed, 1e-9), v_cur_tokens, v_tokens,
      p_max_tokens, v_elapsed)
  );
  return query select false, greatest(1, ceil(v_wait * p_window_seconds * 1000))::integer,
    v_prev_requests + v_cur_requests, v_prev_tokens + v_cur_tokens, v_window;
end;
$$;

-- Fraction of a window to wait until `want` more fits under `max`, given the previous window's full count
-- `prev`, the current window's `cur` and the fraction `elapsed` of the current window already gone.
create function ai_private.ai_rate_limit_wait(
  prev double precision,
  cur double precision,
  want double precision,
  max double precision,
  elapsed double precision
)
returns double precision
language sql
immutable
security invoker
set search_path = ''
as $$
  select case
    when prev * (1 - elapsed) + cur + want <= max then 0
    when cur + want <= max then greatest(0, (1 - (max - cur - want) / prev) - elapsed)
    else (1 - elapsed) + greatest(0, 1 - (max - want) / greatest(cur, 1e-9))
  end
$$;

-- Corrects the tokens of an admitted call once its real usage is known (the admission counted an estimate).
create function ai_private.adjust_ai_rate_limit(p_provider text, p_window_start timestamptz, p_token_delta integer)
returns void
language sql
security invoker
set search_path = ''
as $$
  update ai_private.ai_rate_limits as l
  set tokens = greatest(0, l.tokens + p_token_delta), updated_at = pg_catalog.clock_timestamp()
  where l.provider = p_provider and l.window_start = p_window_start
$$;

revoke all on function ai_private.consume_ai_rate_limit(text, integer, integer, integer, integer, integer)
  from public, anon, authenticated;
revoke all on function ai_private.ai_rate_limit_wait(double precision, double precision, double precision,
  double precision, double precision) from public, anon, authenticated;
revoke all on function ai_private.adjust_ai_rate_limit(text, timestamptz, integer) from public, anon, authenticated;
grant execute on function ai_private.consume_ai_rate_limit(text, integer, integer, integer, integer, integer)
  to service_role;
grant execute on function ai_private.ai_rate_limit_wait(double precision, double precision, double precision,
  double precision, double precision) to service_role;
grant execute on function ai_private.adjust_ai_rate_limit(text, timestamptz, integer) to service_role;
