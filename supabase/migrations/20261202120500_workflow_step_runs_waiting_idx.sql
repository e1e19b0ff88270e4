-- The cleanup job looks for decided approvals whose step still waits (a decision taken through the REST API
-- whose job has not carried it over yet): an index on the few waiting step runs, so the sweep does not read
-- every step of every execution.
-- Rollback: supabase/rollbacks/20261202120500_workflow_step_runs_waiting_idx.sql

create index workflow_step_runs_waiting_idx on public.workflow_step_runs (execution_id, step_id)
  where status = 'waiting';
