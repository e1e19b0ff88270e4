-- A decision taken through the REST API no longer enqueues its execution (only the cleanup job carries it over).
-- Jobs already enqueued stay and run.
drop trigger if exists resume_decided_approval on public.workflow_approvals;
drop function if exists app_private.resume_decided_approval();
