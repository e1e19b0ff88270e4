-- Service-owned columns, second group: workflow_executions and workflow_step_runs. Every column of both is written
-- by the service (the execution's status, step, context, error and timings by the runner; step runs' status,
-- attempts, output, error, timings, claims and leases by the worker that holds the step). Before this, authenticated
-- had table-wide insert and update on both, so a user could mark their own step completed with a forged output that
-- later steps' conditions read, or an execution running without a job. Now the API starts, pauses, resumes and
-- cancels executions through the service role (for the caller's own execution only); users read both tables and
-- may delete an execution of theirs (its step runs go with it).
-- Rollback: supabase/rollbacks/20261202120100_service_owned_workflow_runs.sql

drop policy insert_own on public.workflow_executions;
drop policy update_own on public.workflow_executions;
revoke insert, update on table public.workflow_executions from authenticated;

drop policy insert_own on public.workflow_step_runs;
drop policy update_own on public.workflow_step_runs;
drop policy delete_own on public.workflow_step_runs;
revoke insert, update, delete on table public.workflow_step_runs from authenticated;
