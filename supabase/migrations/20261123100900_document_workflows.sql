-- A named, ordered list of steps (classification, analysis, routing, approval, notification).
create table public.document_workflows (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 200),
  description text,
  -- [{id, type, config, condition?}]; executions copy it, so editing never changes a running execution.
  steps jsonb not null check (jsonb_typeof(steps) = 'array'),
  version integer not null default 1 check (version >= 1),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Target of composite (user_id, ..._id) foreign keys, which keep a child row in its parent's tenant.
  constraint document_workflows_user_id_id_key unique (user_id, id)
);

create trigger set_updated_at
  before update on public.document_workflows
  for each row execute function public.set_updated_at();

alter table public.document_workflows enable row level security;

create policy select_own on public.document_workflows
  for select to authenticated using ((select auth.uid()) = user_id);
create policy insert_own on public.document_workflows
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy update_own on public.document_workflows
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy delete_own on public.document_workflows
  for delete to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.document_workflows from anon, authenticated;
grant select, insert, update, delete on table public.document_workflows to authenticated;
grant all on table public.document_workflows to service_role;
