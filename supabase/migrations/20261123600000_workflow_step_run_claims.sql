-- Durable step execution: a worker claims a step with a compare-and-set that stores a fresh claim token and a
-- lease; only the holder of the token can record the step's result, and a step whose worker died (lease past)
-- can be claimed again. next_attempt_at holds back a retry until its backoff has passed.
alter table public.workflow_step_runs
  add column claim_token uuid,
  add column lease_until timestamptz,
  add column next_attempt_at timestamptz;

comment on column public.workflow_step_runs.claim_token is
  'Token of the attempt that holds the step; the result is recorded only where it still matches.';
comment on column public.workflow_step_runs.lease_until is
  'When a running attempt is presumed dead and the step may be claimed again.';
comment on column public.workflow_step_runs.next_attempt_at is
  'Earliest time of the next attempt after a failed one (retry backoff).';
