-- A batch of documents classified in the background; the counters are its progress.
create table public.classification_batches (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  workflow_id uuid,
  status text not null default 'queued'
    check (status in ('queued', 'running', 'completed', 'completed_with_errors', 'failed', 'cancelled')),
  total_items integer not null default 0 check (total_items >= 0),
  done_items integer not null default 0 check (done_items >= 0),
  failed_items integer not null default 0 check (failed_items >= 0),
  -- What was asked: {categories?, options?}, kept so a retry classifies the same way.
  request jsonb not null default '{}'::jsonb check (jsonb_typeof(request) = 'object'),
  summary jsonb check (jsonb_typeof(summary) = 'object'),
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Target of composite (user_id, ..._id) foreign keys, which keep a child row in its parent's tenant.
  constraint classification_batches_user_id_id_key unique (user_id, id),
  constraint classification_batches_counters_check check (done_items + failed_items <= total_items),
  -- A batch outlives the workflow it used (its results stay readable).
  constraint classification_batches_workflow_fkey foreign key (user_id, workflow_id)
    references public.classification_workflows (user_id, id) on delete set null (workflow_id)
);

comment on column public.classification_batches.done_items is
  'Items classified successfully. A failed item counts in failed_items only; a successful retry moves it here.';

create index classification_batches_user_id_workflow_id_idx
  on public.classification_batches (user_id, workflow_id);

create trigger set_updated_at
  before update on public.classification_batches
  for each row execute function public.set_updated_at();

alter table public.classification_batches enable row level security;

create policy select_own on public.classification_batches
  for select to authenticated using ((select auth.uid()) = user_id);
create policy insert_own on public.classification_batches
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy update_own on public.classification_batches
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy delete_own on public.classification_batches
  for delete to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.classification_batches from anon, authenticated;
grant select, insert, update, delete on table public.classification_batches to authenticated;
grant all on table public.classification_batches to service_role;
