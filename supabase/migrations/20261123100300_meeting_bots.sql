-- Recording bots created (or deliberately not created) through the Attendee API for a meeting.
create table public.meeting_bots (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  meeting_id uuid not null,
  -- Attendee's id ("bot_..."); null until the create call succeeded.
  attendee_bot_id text,
  -- Attendee's state names plus our own ('pending' before sending, 'cancelled' after deleting it);
  -- not a check list, so a new Attendee state never makes a webhook fail to store.
  state text not null default 'pending',
  join_at timestamptz,
  deduplication_key text,
  bot_config jsonb not null default '{}'::jsonb check (jsonb_typeof(bot_config) = 'object'),
  sent boolean not null default false,
  not_sent_reason text,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Target of composite (user_id, ..._id) foreign keys, which keep a child row in its parent's tenant.
  constraint meeting_bots_user_id_id_key unique (user_id, id),
  -- Webhooks find the row by Attendee's id.
  constraint meeting_bots_attendee_bot_id_key unique (attendee_bot_id),
  constraint meeting_bots_deduplication_key_length check (char_length(deduplication_key) <= 1024),
  -- Composite key: a bot can only be attached to a meeting of the same user.
  constraint meeting_bots_meeting_fkey foreign key (user_id, meeting_id)
    references public.meetings (user_id, id) on delete cascade
);

create index meeting_bots_user_id_meeting_id_idx on public.meeting_bots (user_id, meeting_id);

-- No duplicate bots: at most one live bot per meeting, whatever races the scheduler and webhooks run.
create unique index meeting_bots_one_live_bot_per_meeting on public.meeting_bots (meeting_id)
  where state not in ('fatal_error', 'ended', 'data_deleted', 'cancelled');

create trigger set_updated_at
  before update on public.meeting_bots
  for each row execute function public.set_updated_at();

alter table public.meeting_bots enable row level security;

create policy select_own on public.meeting_bots
  for select to authenticated using ((select auth.uid()) = user_id);
create policy insert_own on public.meeting_bots
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy update_own on public.meeting_bots
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy delete_own on public.meeting_bots
  for delete to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.meeting_bots from anon, authenticated;
grant select, insert, update, delete on table public.meeting_bots to authenticated;
grant all on table public.meeting_bots to service_role;
