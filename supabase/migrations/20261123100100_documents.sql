-- Documents users classify, analyse and push through workflows.
create table public.documents (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  title text,
  content text not null,
  metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object'),
  -- Written by a workflow's routing step: where the document was sent and why.
  routed_to text,
  routing jsonb check (jsonb_typeof(routing) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Target of the (user_id, document_id) foreign keys: a child row can only point at its owner's document.
  constraint documents_user_id_id_key unique (user_id, id)
);

create index documents_user_id_created_at_idx on public.documents (user_id, created_at desc);

create trigger set_updated_at
  before update on public.documents
  for each row execute function public.set_updated_at();

alter table public.documents enable row level security;

create policy select_own on public.documents
  for select to authenticated using ((select auth.uid()) = user_id);
create policy insert_own on public.documents
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy update_own on public.documents
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy delete_own on public.documents
  for delete to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.documents from anon, authenticated;
grant select, insert, update, delete on table public.documents to authenticated;
grant all on table public.documents to service_role;
