alter table public.workflow_step_runs
  drop column if exists next_attempt_at,
  drop column if exists lease_until,
  drop column if exists claim_token;
