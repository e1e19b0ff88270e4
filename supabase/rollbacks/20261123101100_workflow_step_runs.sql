drop table if exists public.workflow_step_runs;
