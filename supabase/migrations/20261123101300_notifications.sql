-- Messages for a user (workflow notification steps, finished batches, ...). The frontend subscribes to
-- its own rows through Supabase Realtime, which applies the select policy below.
create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  kind text not null check (char_length(kind) between 1 and 100),
  title text not null,
  body text,
  payload jsonb not null default '{}'::jsonb check (jsonb_typeof(payload) = 'object'),
  read_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index notifications_user_id_created_at_idx on public.notifications (user_id, created_at desc);

create trigger set_updated_at
  before update on public.notifications
  for each row execute function public.set_updated_at();

alter table public.notifications enable row level security;

create policy select_own on public.notifications
  for select to authenticated using ((select auth.uid()) = user_id);
create policy insert_own on public.notifications
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy update_own on public.notifications
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy delete_own on public.notifications
  for delete to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.notifications from anon, authenticated;
grant select, insert, update, delete on table public.notifications to authenticated;
grant all on table public.notifications to service_role;

alter publication supabase_realtime add table public.notifications;
