drop index if exists public.workflow_step_runs_waiting_idx;
