-- delete_user_jobs finds workflow jobs by their execution again. The owner added to old jobs' payloads stays
-- (the workflow handler ignores it).
create or replace function app_private.delete_user_jobs(p_user_id uuid)
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
