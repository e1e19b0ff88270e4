-- The periodic work, as one list both drivers read: pg_cron (Supabase Cron) runs each row's command through
-- app_private.run_schedule(name) (see 20261123200600_job_cron.sql); where pg_cron is absent the Node worker
-- schedules the same rows with pg-boss and calls the same function.
-- Rollback: supabase/rollbacks/20261123200500_job_schedules.sql

create schema if not exists app_private;

create table if not exists app_private.job_schedules (
  name text primary key check (name ~ '^[a-z0-9-]+$'),
  cron text not null check (cron ~ '^\S+( \S+){4}$'),
  command text not null,
  description text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table app_private.job_schedules is
  'Periodic work: five-field cron expression (UTC) and the SQL it runs; read by pg_cron and by the Node worker.';

revoke all on app_private.job_schedules from public, anon, authenticated;
grant select on app_private.job_schedules to service_role;

-- One auto-scheduling job per user who turned it on; the 15-minute singleton slot keeps a slow run and the
-- next tick from queueing the same user twice.
create or replace function app_private.enqueue_auto_schedule_jobs()
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  setting record;
  enqueued integer := 0;
begin
  for setting in select s.user_id from public.user_bot_settings s where s.auto_schedule loop
    if app_private.enqueue_job(
      'ai.auto_schedule_user_bots',
      jsonb_build_object('userId', setting.user_id),
      singleton_key => setting.user_id::text,
      singleton_seconds => 900
    ) is not null then
      enqueued := enqueued + 1;
    end if;
  end loop;
  return enqueued;
end
$$;

comment on function app_private.enqueue_auto_schedule_jobs() is
  'Enqueues ai.auto_schedule_user_bots ({"userId"}) for every user whose user_bot_settings.auto_schedule is on.';

create or replace function app_private.run_schedule(schedule_name text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  statement text;
begin
  select s.command into statement from app_private.job_schedules s where s.name = schedule_name;
  if statement is null then
    raise exception 'no schedule named "%"', schedule_name using errcode = 'P0002';
  end if;
  execute statement;
end
$$;

comment on function app_private.run_schedule(text) is
  'Runs one schedule''s command; the single entry point of both schedule drivers.';

revoke all on function app_private.enqueue_auto_schedule_jobs() from public, anon, authenticated;
revoke all on function app_private.run_schedule(text) from public, anon, authenticated;
grant execute on function app_private.run_schedule(text) to service_role;

insert into app_private.job_schedules (name, cron, command, description) values
  (
    'ai-auto-schedule-bots',
    '*/15 * * * *',
    'select app_private.enqueue_auto_schedule_jobs()',
    'Auto-schedule recording bots for every user who enabled it'
  ),
  (
    'ai-cleanup-expired-workflows',
    '7 * * * *',
    $cmd$select app_private.enqueue_job('ai.cleanup_expired_workflows', '{}'::jsonb, singleton_seconds => 3600)$cmd$,
    'Clean up expired workflow executions and approvals'
  ),
  (
    'ai-monitor-ai-processing',
    '* * * * *',
    $cmd$select app_private.enqueue_job('ai.monitor_ai_processing', '{}'::jsonb, singleton_seconds => 60)$cmd$,
    'Record queue health and raise alerts'
  ),
  (
    'ai-supervise-jobs',
    '* * * * *',
    'select app_private.supervise_jobs()',
    'Bring back jobs whose worker died (expired active jobs are retried or dead-lettered)'
  )
on conflict (name) do update set
  cron = excluded.cron,
  command = excluded.command,
  description = excluded.description,
  updated_at = now();
