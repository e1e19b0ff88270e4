-- Every ai.execute_document_workflow job now names its execution's owner (`userId`, sent by the service and by the
-- resume_decided_approval trigger), as every other job naming a user does. So app_private.delete_user_jobs
-- (DELETE /ai/me/data) finds a user's workflow jobs through pgboss.job_user_id_idx like the rest, instead of
-- reading every workflow job of every tenant by queue name and matching its executionId against the user's
-- executions; and app_private.user_queue_health (GET /ai/metrics) now counts the user's workflow jobs too.
-- Jobs sent before this (live or dead-lettered) are given their owner here.
-- Rollback: supabase/rollbacks/20261202120600_workflow_jobs_name_their_user.sql

update pgboss.job j
   set data = j.data || jsonb_build_object('userId', e.user_id)
  from public.workflow_executions e
 where j.name in ('ai.execute_document_workflow', 'ai.execute_document_workflow.dead')
   and not (j.data ? 'userId')
   and j.data->>'executionId' = e.id::text;

-- Every state: queued, active, completed, failed, cancelled, and what dead-letter queues hold. Jobs that cancel a
-- bot at Attendee are kept: they carry ids only, and without them a deleted meeting's bot could still join.
create or replace function app_private.delete_user_jobs(p_user_id uuid)
returns integer
language sql
volatile
security definer
set search_path = ''
as $$
  with gone as (
    delete from pgboss.job j
    where j.data->>'userId' = p_user_id::text and j.name not like 'ai.cancel_meeting_bot%'
    returning 1
  )
  select count(*)::integer from gone
$$;

comment on function app_private.delete_user_jobs(uuid) is
  'Deletes the pg-boss jobs (any state) whose payload names the user.';
