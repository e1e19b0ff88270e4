-- Calendar meetings the bot scheduler decides on.
create table public.meetings (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  title text not null,
  description text,
  start_time timestamptz not null,
  end_time timestamptz not null,
  meeting_url text,
  -- [{email, name?}]: the scheduler counts attendees and compares their domains with the organizer's.
  attendees jsonb not null default '[]'::jsonb,
  organizer_email text,
  status text not null default 'confirmed',
  -- Per-meeting choice that wins over user_bot_settings.
  bot_override text not null default 'follow_settings',
  -- The calendar's id for the event, so a calendar sync can upsert instead of duplicating.
  external_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Target of composite (user_id, ..._id) foreign keys, which keep a child row in its parent's tenant.
  constraint meetings_user_id_id_key unique (user_id, id),
  constraint meetings_user_id_external_id_key unique (user_id, external_id),
  constraint meetings_end_after_start check (end_time > start_time),
  constraint meetings_status_check check (status in ('confirmed', 'tentative', 'cancelled')),
  constraint meetings_bot_override_check check (bot_override in ('follow_settings', 'always', 'never')),
  constraint meetings_attendees_check check (
    jsonb_typeof(attendees) = 'array'
    and not jsonb_path_exists(
      attendees,
      '$[*] ? (!(@.type() == "object" && @.email.type() == "string"
                 && (!exists(@.name) || @.name.type() == "string" || @.name.type() == "null")))'
    )
  )
);

-- The scheduler's look-ahead query: one user's meetings starting inside a window.
create index meetings_user_id_start_time_idx on public.meetings (user_id, start_time);

create trigger set_updated_at
  before update on public.meetings
  for each row execute function public.set_updated_at();

alter table public.meetings enable row level security;

create policy select_own on public.meetings
  for select to authenticated using ((select auth.uid()) = user_id);
create policy insert_own on public.meetings
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy update_own on public.meetings
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy delete_own on public.meetings
  for delete to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.meetings from anon, authenticated;
grant select, insert, update, delete on table public.meetings to authenticated;
grant all on table public.meetings to service_role;
