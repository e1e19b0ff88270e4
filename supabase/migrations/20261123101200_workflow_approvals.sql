-- An approval step waiting for (or decided by) its approver. The row belongs to the execution's owner;
-- the approver, who may be another user, can read it and decide it, nothing more.
create table public.workflow_approvals (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  execution_id uuid not null,
  step_id text not null,
  -- Null only once the approver's account is gone; the approval then waits for its expiry.
  approver_id uuid references auth.users (id) on delete set null,
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected', 'expired')),
  comment text,
  -- Who decided (the approver, or null when the service expired it); kept as a plain value for the audit trail.
  decided_by uuid,
  decided_at timestamptz,
  expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint workflow_approvals_execution_step_key unique (execution_id, step_id),
  constraint workflow_approvals_decided_at_check check ((status = 'pending') = (decided_at is null)),
  -- Composite key: user_id is always the owner of the execution.
  constraint workflow_approvals_execution_fkey foreign key (user_id, execution_id)
    references public.workflow_executions (user_id, id) on delete cascade
);

create index workflow_approvals_user_id_execution_id_idx on public.workflow_approvals (user_id, execution_id);
-- The approver's inbox, and the select/update policies' approver_id test.
create index workflow_approvals_approver_id_status_idx on public.workflow_approvals (approver_id, status);
-- The cleanup job's scan.
create index workflow_approvals_expires_at_idx on public.workflow_approvals (expires_at) where status = 'pending';

create trigger set_updated_at
  before update on public.workflow_approvals
  for each row execute function public.set_updated_at();

alter table public.workflow_approvals enable row level security;

create policy select_own_or_assigned on public.workflow_approvals
  for select to authenticated
  using ((select auth.uid()) = user_id or (select auth.uid()) = approver_id);

-- A compare-and-set: only a pending, unexpired approval can be decided, so deciding twice changes nothing.
create policy update_assigned_pending on public.workflow_approvals
  for update to authenticated
  using (
    (select auth.uid()) = approver_id
    and status = 'pending'
    and (expires_at is null or expires_at > now())
  )
  with check (
    (select auth.uid()) = approver_id
    and status in ('approved', 'rejected')
    and (select auth.uid()) = decided_by
  );

-- Approvals are created and expired by the service; users only read and decide them.
revoke all on table public.workflow_approvals from anon, authenticated;
grant select on table public.workflow_approvals to authenticated;
grant update (status, comment, decided_by, decided_at) on table public.workflow_approvals to authenticated;
grant all on table public.workflow_approvals to service_role;
