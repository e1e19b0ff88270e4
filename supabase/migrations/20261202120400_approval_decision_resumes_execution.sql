-- The approver may decide an approval through the REST API (status, comment, decided_by under the update policy
-- update_assigned_pending), not only through POST /workflows/approvals/:id/decision. The route carries its decision
-- over to the step and the execution in its own transaction; a REST decision did not, and left the owner's
-- execution in waiting_approval for good. Now a decision (pending to approved or rejected) taken by any role but
-- service_role enqueues the execution's ai.execute_document_workflow job in the deciding transaction, and the job
-- carries it over under the execution's row lock (shared/workflows/runner.ts). The service role's decisions are
-- carried over by their caller in the same transaction, so they enqueue nothing here; the cleanup job carries
-- over any decision whose step still waits. The queue exists since 20261123200100_job_queues.sql.
-- Rollback: supabase/rollbacks/20261202120400_approval_decision_resumes_execution.sql

create function app_private.resume_decided_approval()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform app_private.enqueue_job(
    'ai.execute_document_workflow',
    jsonb_build_object('executionId', new.execution_id, 'userId', new.user_id)
  );
  return null;
end;
$$;

comment on function app_private.resume_decided_approval() is
  'Enqueues ai.execute_document_workflow for an execution whose approval was decided outside the service.';

revoke all on function app_private.resume_decided_approval() from public, anon, authenticated;

create trigger resume_decided_approval
  after update of status on public.workflow_approvals
  for each row
  when (
    old.status = 'pending' and new.status in ('approved', 'rejected') and current_user <> 'service_role'
  )
  execute function app_private.resume_decided_approval();
