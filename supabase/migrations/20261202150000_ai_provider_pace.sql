-- A smooth provider limiter, shared by every function instance and worker: instead of counting calls per window
-- (which let a fresh window's whole budget through at once, so the provider saw bursts at window edges and
-- answered 429), each call reserves the next free start time. Requests are spaced 60 s / RPM apart, less 1% so
-- the jitter between our clock and the provider's never puts RPM + 1 calls into its minute; tokens refill
-- continuously at TPM / 60 a second into a bucket that holds one minute's worth (GCRA, "virtual scheduling").
-- A 429 the provider still answers blocks every caller until its Retry-After (blocked_until).
-- Service-only (schema ai_private): RLS on with no policy, no grant to anon or authenticated.
-- Rollback: supabase/rollbacks/20261202150000_ai_provider_pace.sql

create table ai_private.ai_provider_pace (
  provider text primary key check (char_length(provider) between 1 and 64),
  -- The earliest start the next request may have (the theoretical arrival time of GCRA).
  next_request_at timestamptz not null default '-infinity',
  -- When the token bucket is empty again if nothing more is spent; a call fits while this is at most a minute
  -- ahead of its start.
  tokens_due_at timestamptz not null default '-infinity',
  -- The provider answered 429 with Retry-After: nobody starts a call before this.
  blocked_until timestamptz not null default '-infinity',
  updated_at timestamptz not null default now()
);

comment on table ai_private.ai_provider_pace is
  'Shared pace of calls to each AI provider: next request start, token bucket, 429 block (reserve_ai_call).';

alter table ai_private.ai_provider_pace enable row level security;
revoke all on table ai_private.ai_provider_pace from public, anon, authenticated;
grant select, insert, update, delete on table ai_private.ai_provider_pace to service_role;

-- Reserves a start for one call of p_tokens (estimated) tokens: the earliest time that keeps the request pace,
-- fits the token bucket and is past any block. When that start is more than p_max_wait_ms away nothing is
-- reserved. Either way wait_ms says how long from now that start is, and start_at when. One statement, one row lock per call.
create function ai_private.reserve_ai_call(
  p_provider text,
  p_tokens integer,
  p_max_requests integer,
  p_max_tokens integer,
  p_max_wait_ms integer
)
returns table (reserved boolean, wait_ms integer, start_at timestamptz)
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_now timestamptz;
  v_spacing interval;
  v_cost interval;
  v_row ai_private.ai_provider_pace;
  v_start timestamptz;
begin
  if p_tokens < 0 or p_max_requests < 1 or p_max_tokens < 1 or p_max_wait_ms < 0 then
    raise exception 'reserve_ai_call: tokens and wait must be >= 0, limits >= 1' using errcode = '22023';
  end if;
  v_spacing := pg_catalog.make_interval(secs => 60.0 / p_max_requests * 1.01);
  -- A call larger than the whole bucket waits for a full bucket: it runs alone rather than never.
  v_cost := pg_catalog.make_interval(secs => 60.0 * least(p_tokens, p_max_tokens) / p_max_tokens);

  insert into ai_private.ai_provider_pace as p (provider) values (p_provider)
  on conflict (provider) do nothing;
  select * into v_row from ai_private.ai_provider_pace as p where p.provider = p_provider for update;
  -- Read the clock once the lock is held: a start computed from before the wait would be in the past.
  v_now := pg_catalog.clock_timestamp();

  v_start := greatest(
    v_now,
    v_row.next_request_at,
    v_row.blocked_until,
    v_row.tokens_due_at + v_cost - interval '1 minute'
  );
  if v_start - v_now > pg_catalog.make_interval(secs => p_max_wait_ms / 1000.0) then
    return query select false, ceil(extract(epoch from v_start - v_now) * 1000)::integer, v_start;
    return;
  end if;

  update ai_private.ai_provider_pace as p
  set next_request_at = v_start + v_spacing,
      tokens_due_at = greatest(p.tokens_due_at, v_start) + v_cost,
      updated_at = v_now
  where p.provider = p_provider;
  return query select true, ceil(extract(epoch from v_start - v_now) * 1000)::integer, v_start;
end;
$$;

comment on function ai_private.reserve_ai_call(text, integer, integer, integer, integer) is
  'Reserves the next start of a call to an AI provider within the request pace, token bucket and any 429 block.';

-- Corrects the bucket once a call's real usage is known (the reservation counted an estimate): p_token_delta
-- tokens more (or, negative, fewer) than were reserved. Never moves the bucket below empty.
create function ai_private.adjust_ai_call(p_provider text, p_token_delta integer, p_max_tokens integer)
returns void
language sql
security invoker
set search_path = ''
as $$
  update ai_private.ai_provider_pace as p
  set tokens_due_at = greatest(
        pg_catalog.clock_timestamp(),
        p.tokens_due_at + pg_catalog.make_interval(secs => 60.0 * p_token_delta / greatest(p_max_tokens, 1))
      ),
      updated_at = pg_catalog.clock_timestamp()
  where p.provider = p_provider and p_token_delta <> 0
$$;

-- The provider answered 429: nobody, in any instance, starts a call to it for p_retry_after_ms. Returns how
-- long from now the block lasts (a longer block already set stays).
create function ai_private.block_ai_provider(p_provider text, p_retry_after_ms integer)
returns integer
language sql
security invoker
set search_path = ''
as $$
  insert into ai_private.ai_provider_pace as p (provider, blocked_until)
  values (p_provider, pg_catalog.clock_timestamp()
    + pg_catalog.make_interval(secs => greatest(0, least(p_retry_after_ms, 600000)) / 1000.0))
  on conflict (provider) do update
    set blocked_until = greatest(p.blocked_until, excluded.blocked_until), updated_at = pg_catalog.clock_timestamp()
  returning greatest(0, ceil(extract(epoch from p.blocked_until - pg_catalog.clock_timestamp()) * 1000))::integer
$$;

-- How long from now a 429 block of the provider still lasts (0 when none): checked by a caller that waited for
-- its start, so a block set meanwhile by another instance holds it too.
create function ai_private.ai_provider_blocked_ms(p_provider text)
returns integer
language sql
stable
security invoker
set search_path = ''
as $$
  select coalesce(
    (select ceil(extract(epoch from p.blocked_until - pg_catalog.clock_timestamp()) * 1000)::integer
     from ai_private.ai_provider_pace as p
     where p.provider = p_provider and p.blocked_until > pg_catalog.clock_timestamp()),
    0)
$$;

revoke all on function ai_private.reserve_ai_call(text, integer, integer, integer, integer)
  from public, anon, authenticated;
revoke all on function ai_private.adjust_ai_call(text, integer, integer) from public, anon, authenticated;
revoke all on function ai_private.block_ai_provider(text, integer) from public, anon, authenticated;
revoke all on function ai_private.ai_provider_blocked_ms(text) from public, anon, authenticated;
grant execute on function ai_private.reserve_ai_call(text, integer, integer, integer, integer) to service_role;
grant execute on function ai_private.adjust_ai_call(text, integer, integer) to service_role;
grant execute on function ai_private.block_ai_provider(text, integer) to service_role;
grant execute on function ai_private.ai_provider_blocked_ms(text) to service_role;

-- The window counters this replaces.
drop function ai_private.consume_ai_rate_limit(text, integer, integer, integer, integer, integer);
drop function ai_private.ai_rate_limit_wait(double precision, double precision, double precision,
  double precision, double precision);
drop function ai_private.adjust_ai_rate_limit(text, timestamptz, integer);
drop table ai_private.ai_rate_limits;
