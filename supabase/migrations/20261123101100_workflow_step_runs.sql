-- The record of each step of an execution; its (execution_id, step_id) key is what makes a completed
-- step never run twice.
create table public.workflow_step_runs (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  execution_id uuid not null,
  step_id text not null,
  step_type text not null
    check (step_type in ('classification', 'analysis', 'routing', 'approval', 'notification')),
  status text not null default 'pending'
    check (status in ('pending', 'running', 'completed', 'skipped', 'failed', 'waiting')),
  output jsonb check (jsonb_typeof(output) = 'object'),
  attempts integer not null default 0 check (attempts >= 0),
  error text,
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint workflow_step_runs_execution_step_key unique (execution_id, step_id),
  constraint workflow_step_runs_finished_after_start
    check (finished_at is null or started_at is null or finished_at >= started_at),
  constraint workflow_step_runs_execution_fkey foreign key (user_id, execution_id)
    references public.workflow_executions (user_id, id) on delete cascade
);

create index workflow_step_runs_user_id_execution_id_idx on public.workflow_step_runs (user_id, execution_id);

create trigger set_updated_at
  before update on public.workflow_step_runs
  for each row execute function public.set_updated_at();

alter table public.workflow_step_runs enable row level security;

create policy select_own on public.workflow_step_runs
  for select to authenticated using ((select auth.uid()) = user_id);
create policy insert_own on public.workflow_step_runs
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy update_own on public.workflow_step_runs
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy delete_own on public.workflow_step_runs
  for delete to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.workflow_step_runs from anon, authenticated;
grant select, insert, update, delete on table public.workflow_step_runs to authenticated;
grant all on table public.workflow_step_runs to service_role;
