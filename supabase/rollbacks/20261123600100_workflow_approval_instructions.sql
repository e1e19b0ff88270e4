alter table public.workflow_approvals
  drop column if exists workflow_name,
  drop column if exists instructions;
