-- One user's jobs, for the service acting for that user: their own queue figures (GET /ai/metrics shows a user
-- only their own work) and the deletion of their job payloads with the rest of their data (DELETE /ai/me/data).
-- pgboss stays private: these security definer functions are the only way in, granted to service_role only.
-- A job is the user's when its payload names them (`userId`), or, for document workflow executions, when it
-- names one of their executions.
-- Rollback: supabase/rollbacks/20261201120200_user_job_functions.sql

create function app_private.user_queue_health(p_user_id uuid)
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
    where j.state in ('created', 'retry', 'active', 'failed') and j.data->>'userId' = p_user_id::text
    group by j.name
  )
  select
    q.name,
    q.dead_letter,
    coalesce(c.queued, 0)::integer,
    coalesce(c.ready, 0)::integer,
    coalesce(c.active, 0)::integer,
    coalesce(c.failed, 0)::integer,
    coalesce(d.queued + d.active + d.failed, 0)::integer,
    coalesce(extract(epoch from pgboss.job_now() - c.oldest_ready)::double precision, 0)
  from pgboss.queue q
  left join counts c on c.name = q.name
  left join counts d on d.name = q.dead_letter
  where not exists (select 1 from pgboss.queue s where s.dead_letter = q.name)
  order by q.name
$$;

comment on function app_private.user_queue_health(uuid) is
  'app_private.queue_health() counting only the jobs whose payload names the user.';

-- Every state: queued, active, completed, failed, cancelled, and what dead-letter queues hold. Jobs that cancel a
-- bot at Attendee are kept: they carry ids only, and without them a deleted meeting's bot could still join.
create function app_private.delete_user_jobs(p_user_id uuid)
returns integer
language sql
volatile
security definer
set search_path = ''
as $$
  with gone as (
    delete from pgboss.job j
    where (j.data->>'userId' = p_user_id::text and j.name not like 'ai.cancel_meeting_bot%')
       or (j.name like 'ai.execute_document_workflow%'
           and j.data->>'executionId' in (
             select e.id::text from public.workflow_executions e where e.user_id = p_user_id))
    returning 1
  )
  select count(*)::integer from gone
$$;

comment on function app_private.delete_user_jobs(uuid) is
  'Deletes the pg-boss jobs (any state) whose payload names the user or one of their workflow executions.';

revoke all on function app_private.user_queue_health(uuid) from public, anon, authenticated;
revoke all on function app_private.delete_user_jobs(uuid) from public, anon, authenticated;
grant execute on function app_private.user_queue_health(uuid) to service_role;
grant execute on function app_private.delete_user_jobs(uuid) to service_role;
