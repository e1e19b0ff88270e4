-- User-defined multi-stage classification: categories to choose from and the stages that choose.
create table public.classification_workflows (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 200),
  description text,
  -- [{name, description?, keywords?, examples?}]
  categories jsonb not null check (jsonb_typeof(categories) = 'array'),
  -- [{type: "rules" | "local" | "llm" | "sentiment" | "entities", ...}], run in order.
  stages jsonb not null default '[]'::jsonb check (jsonb_typeof(stages) = 'array'),
  is_active boolean not null default true,
  version integer not null default 1 check (version >= 1),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Target of composite (user_id, ..._id) foreign keys, which keep a child row in its parent's tenant.
  constraint classification_workflows_user_id_id_key unique (user_id, id)
);

-- A name identifies one active workflow per user; retired versions may keep it.
create unique index classification_workflows_active_name_key
  on public.classification_workflows (user_id, name) where is_active;

create trigger set_updated_at
  before update on public.classification_workflows
  for each row execute function public.set_updated_at();

alter table public.classification_workflows enable row level security;

create policy select_own on public.classification_workflows
  for select to authenticated using ((select auth.uid()) = user_id);
create policy insert_own on public.classification_workflows
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy update_own on public.classification_workflows
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy delete_own on public.classification_workflows
  for delete to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.classification_workflows from anon, authenticated;
grant select, insert, update, delete on table public.classification_workflows to authenticated;
grant all on table public.classification_workflows to service_role;
