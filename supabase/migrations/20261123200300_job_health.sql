-- Queue health: per queue, jobs waiting (queued, and ready to run now), running, failed and dead-lettered, and
-- how long the oldest ready job has waited. Read by GET /jobs/queues and by ai.monitor_ai_processing, which
-- keeps one snapshot per run in app_private.job_health_snapshots.
-- Rollback: supabase/rollbacks/20261123200300_job_health.sql

create schema if not exists app_private;

create or replace function app_private.queue_health()
returns table (
  queue text,
  dead_letter text,
  queued integer,
  ready integer,
  active integer,
  failed integer,
  dead_lettered integer,
  oldest_ready_seconds double precision
)
language sql
stable
security definer
set search_path = ''
as $$
  with counts as (
    select
      j.name,
      count(*) filter (where j.state in ('created', 'retry')) as queued,
      count(*) filter (
        where j.state in ('created', 'retry') and j.start_after <= pgboss.job_now() and not j.blocked
      ) as ready,
      count(*) filter (where j.state = 'active') as active,
      count(*) filter (where j.state = 'failed') as failed,
      min(j.start_after) filter (
        where j.state in ('created', 'retry') and j.start_after <= pgboss.job_now() and not j.blocked
      ) as oldest_ready
    from pgboss.job j
    where j.state in ('created', 'retry', 'active', 'failed')
    group by j.name
  )
  select
    q.name,
    q.dead_letter,
    coalesce(c.queued, 0)::integer,
    coalesce(c.ready, 0)::integer,
    coalesce(c.active, 0)::integer,
    coalesce(c.failed, 0)::integer,
    -- Nothing consumes a dead-letter queue, so what it holds is what failed for good and awaits a look.
    coalesce(d.queued + d.active + d.failed, 0)::integer,
    coalesce(extract(epoch from pgboss.job_now() - c.oldest_ready)::double precision, 0)
  from pgboss.queue q
  left join counts c on c.name = q.name
  left join counts d on d.name = q.dead_letter
  where not exists (select 1 from pgboss.queue s where s.dead_letter = q.name)
  order by q.name
$$;

comment on function app_private.queue_health() is
  'Per source queue: queued, ready, active, failed and dead-lettered jobs, and the oldest ready job''s wait in seconds.';

revoke all on function app_private.queue_health() from public, anon, authenticated;
grant execute on function app_private.queue_health() to service_role;

create table if not exists app_private.job_health_snapshots (
  id bigint generated always as identity primary key,
  -- The monitoring job that took it: a redelivered job records nothing twice.
  job_id uuid not null unique,
  queues jsonb not null check (jsonb_typeof(queues) = 'array'),
  alerts jsonb not null default '[]'::jsonb check (jsonb_typeof(alerts) = 'array'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table app_private.job_health_snapshots is
  'One row per ai.monitor_ai_processing run: every queue''s health and the alerts it raised.';

create index if not exists job_health_snapshots_created_at_idx on app_private.job_health_snapshots (created_at);

revoke all on app_private.job_health_snapshots from public, anon, authenticated;
grant select, insert, delete on app_private.job_health_snapshots to service_role;
