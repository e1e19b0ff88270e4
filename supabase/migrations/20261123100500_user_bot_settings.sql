-- Per-user auto-scheduling preferences. No row means the defaults below (auto-schedule off).
create table public.user_bot_settings (
  user_id uuid primary key references auth.users (id) on delete cascade,
  auto_schedule boolean not null default false,
  lookahead_hours integer not null default 24 check (lookahead_hours between 1 and 720),
  -- Minutes before the meeting's start the bot joins.
  join_offset_minutes integer not null default 2 check (join_offset_minutes between 0 and 60),
  -- Attendee's limit for bot_name is 255 characters.
  bot_name text not null default 'Meeting Notetaker' check (char_length(bot_name) between 1 and 255),
  record_mode text not null default 'all' check (record_mode in ('all', 'external_only', 'organizer_only')),
  -- Meetings whose title or description mentions one of these are not recorded.
  exclusion_keywords text[] not null default '{}',
  min_attendees integer not null default 2 check (min_attendees >= 0),
  transcription_language text not null default 'en'
    check (transcription_language ~ '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create trigger set_updated_at
  before update on public.user_bot_settings
  for each row execute function public.set_updated_at();

alter table public.user_bot_settings enable row level security;

create policy select_own on public.user_bot_settings
  for select to authenticated using ((select auth.uid()) = user_id);
create policy insert_own on public.user_bot_settings
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy update_own on public.user_bot_settings
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy delete_own on public.user_bot_settings
  for delete to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.user_bot_settings from anon, authenticated;
grant select, insert, update, delete on table public.user_bot_settings to authenticated;
grant all on table public.user_bot_settings to service_role;
