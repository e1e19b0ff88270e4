-- Drains without a worker (Supabase: no long-running process): a fixed set of slots caps how many drains run at
-- once, whoever starts them (a request that sent work, a drain handing over, Supabase Cron). A drain holds a
-- slot for its lease; one that died frees its slot when the lease ends. The number of rows is the cap: each
-- drain is one Edge invocation with its own pool (DB_POOL_MAX connections), so slots x pool must fit the
-- database's connections and the project's concurrent-invocation limit.
-- Rollback: supabase/rollbacks/20261202160000_job_drain_slots.sql

create table app_private.job_drain_slots (
  slot smallint primary key check (slot between 1 and 64),
  holder uuid,
  claimed_at timestamptz,
  lease_until timestamptz,
  check ((holder is null) = (lease_until is null))
);

comment on table app_private.job_drain_slots is
  'One row per drain allowed at once; holder and lease_until are set while a drain holds the slot.';

revoke all on app_private.job_drain_slots from public, anon, authenticated;
grant select on app_private.job_drain_slots to service_role;

insert into app_private.job_drain_slots (slot) select generate_series(1, 4);

-- Takes a free slot (or one whose lease ran out) for lease_seconds; no row when every slot is held.
create function app_private.claim_job_drain_slot(lease_seconds integer)
returns table (slot smallint, holder uuid, slots integer)
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  if lease_seconds is null or lease_seconds < 1 or lease_seconds > 3600 then
    raise exception 'claim_job_drain_slot: lease_seconds must be 1 to 3600' using errcode = '22023';
  end if;
  return query
  with free as (
    select s.slot from app_private.job_drain_slots s
    where s.lease_until is null or s.lease_until < pg_catalog.now()
    order by s.slot
    limit 1
    for update skip locked
  )
  update app_private.job_drain_slots s
  set holder = gen_random_uuid(),
      claimed_at = pg_catalog.now(),
      lease_until = pg_catalog.now() + pg_catalog.make_interval(secs => lease_seconds)
  from free
  where s.slot = free.slot
  returning s.slot, s.holder, (select count(*)::integer from app_private.job_drain_slots);
end
$$;

-- Frees a slot, only for the drain that holds it (a lapsed lease may have been taken by another).
create function app_private.release_job_drain_slot(p_slot smallint, p_holder uuid)
returns boolean
language sql
security definer
set search_path = ''
as $$
  with freed as (
    update app_private.job_drain_slots s
    set holder = null, claimed_at = null, lease_until = null
    where s.slot = p_slot and s.holder = p_holder
    returning 1
  )
  select exists (select 1 from freed);
$$;

-- The queues among `queues` with a job that may start now: what a finishing drain checks before it leaves.
create function app_private.ready_job_queues(queues text[])
returns setof text
language sql
stable
security definer
set search_path = ''
as $$
  select q.name
  from pg_catalog.unnest(queues) as q(name)
  where exists (
    select 1 from pgboss.job j
    where j.name = q.name and j.state < 'active' and not j.blocked and j.start_after <= pg_catalog.now()
  );
$$;

comment on function app_private.claim_job_drain_slot(integer) is
  'Claims a free drain slot for lease_seconds: (slot, holder, slots), or no row when all are held.';
comment on function app_private.release_job_drain_slot(smallint, uuid) is
  'Frees the slot if p_holder still holds it; true when it did.';
comment on function app_private.ready_job_queues(text[]) is
  'The given queues that have a job ready to start now.';

revoke all on function app_private.claim_job_drain_slot(integer) from public, anon, authenticated;
revoke all on function app_private.release_job_drain_slot(smallint, uuid) from public, anon, authenticated;
revoke all on function app_private.ready_job_queues(text[]) from public, anon, authenticated;
grant execute on function app_private.claim_job_drain_slot(integer) to service_role;
grant execute on function app_private.release_job_drain_slot(smallint, uuid) to service_role;
grant execute on function app_private.ready_job_queues(text[]) to service_role;

-- How often Supabase Cron starts a drain: every 10 seconds where pg_cron takes second schedules (1.5 and
-- later, as hosted Supabase Cron does), else every minute (Debian's pg_cron 1.4).
create function app_private.job_drain_cron()
returns text
language sql
stable
set search_path = ''
as $$
  select case
    when coalesce(
      (select e.extversion from pg_catalog.pg_extension e where e.extname = 'pg_cron'),
      (select a.default_version from pg_catalog.pg_available_extensions a where a.name = 'pg_cron'),
      '0'
    ) ~ '^(1\.([5-9]|\d\d)|[2-9]|\d\d)' then '10 seconds'
    else '* * * * *'
  end;
$$;

comment on function app_private.job_drain_cron() is
  'The drain schedule for pg_cron: ''10 seconds'' where pg_cron >= 1.5, else every minute.';

revoke all on function app_private.job_drain_cron() from public, anon, authenticated;
grant execute on function app_private.job_drain_cron() to service_role;

-- Where the drain schedule exists (pg_cron, pg_net and Vault: Supabase), drains start in the background of the
-- call (the function answers 202 at once and hands over to itself while work remains), on the schedule above.
do $cron$
begin
  if not exists (select 1 from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
                 where n.nspname = 'app_private' and p.proname = 'request_job_drain') then
    return;
  end if;
  execute $fn$
    create or replace function app_private.request_job_drain(budget_ms integer default 50000)
    returns bigint
    language plpgsql
    security definer
    set search_path = ''
    as $$
    declare
      project_url text;
      service_key text;
    begin
      select decrypted_secret into project_url from vault.decrypted_secrets where name = 'project_url';
      select decrypted_secret into service_key from vault.decrypted_secrets where name = 'service_role_key';
      if project_url is null or service_key is null then
        raise warning 'Vault secrets project_url and service_role_key are required to drain jobs';
        return null;
      end if;
      return net.http_post(
        url := rtrim(project_url, '/') || '/functions/v1/jobs/drain',
        body := jsonb_build_object('budgetMs', budget_ms, 'background', true),
        headers := jsonb_build_object(
          'Content-Type', 'application/json',
          'Authorization', 'Bearer ' || service_key
        ),
        timeout_milliseconds := 10000
      );
    end
    $$
  $fn$;
  perform cron.schedule('ai-drain-jobs', app_private.job_drain_cron(), 'select app_private.request_job_drain()');
end
$cron$;
