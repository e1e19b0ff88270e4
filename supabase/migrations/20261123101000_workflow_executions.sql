-- One run of a document workflow on one document, executed durably in the background.
create table public.workflow_executions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  workflow_id uuid not null,
  workflow_version integer not null check (workflow_version >= 1),
  -- The workflow as it was when the execution started.
  definition jsonb not null check (jsonb_typeof(definition) = 'object'),
  document_id uuid not null,
  status text not null default 'queued' check (status in (
    'queued', 'running', 'paused', 'waiting_approval', 'completed', 'failed', 'cancelled', 'rejected', 'expired'
  )),
  -- Set by pause_workflow; the runner pauses at the next step boundary.
  pause_requested boolean not null default false,
  current_step_id text,
  -- Outputs of finished steps by step id, read by later steps' conditions.
  context jsonb not null default '{}'::jsonb check (jsonb_typeof(context) = 'object'),
  error text,
  started_at timestamptz,
  finished_at timestamptz,
  expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Target of composite (user_id, ..._id) foreign keys, which keep a child row in its parent's tenant.
  constraint workflow_executions_user_id_id_key unique (user_id, id),
  constraint workflow_executions_finished_after_start
    check (finished_at is null or started_at is null or finished_at >= started_at),
  constraint workflow_executions_workflow_fkey foreign key (user_id, workflow_id)
    references public.document_workflows (user_id, id) on delete cascade,
  constraint workflow_executions_document_fkey foreign key (user_id, document_id)
    references public.documents (user_id, id) on delete cascade
);

create index workflow_executions_user_id_created_at_idx on public.workflow_executions (user_id, created_at desc);
create index workflow_executions_user_id_workflow_id_idx on public.workflow_executions (user_id, workflow_id);
create index workflow_executions_user_id_document_id_idx on public.workflow_executions (user_id, document_id);
-- The cleanup job's scan: unfinished executions past their deadline.
create index workflow_executions_expires_at_idx on public.workflow_executions (expires_at)
  where status in ('queued', 'running', 'paused', 'waiting_approval');

create trigger set_updated_at
  before update on public.workflow_executions
  for each row execute function public.set_updated_at();

alter table public.workflow_executions enable row level security;

create policy select_own on public.workflow_executions
  for select to authenticated using ((select auth.uid()) = user_id);
create policy insert_own on public.workflow_executions
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy update_own on public.workflow_executions
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy delete_own on public.workflow_executions
  for delete to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.workflow_executions from anon, authenticated;
grant select, insert, update, delete on table public.workflow_executions to authenticated;
grant all on table public.workflow_executions to service_role;
