drop table if exists public.workflow_executions;
