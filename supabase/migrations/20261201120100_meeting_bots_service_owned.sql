-- Bot rows are the service's record of what it asked Attendee for: users read their own, and write none of them.
-- Before this, a user could write meeting_bots.attendee_bot_id (or state, sent ...) through the REST API and have
-- the service act at Attendee on a bot they do not own. Now authenticated has select only (the policy to match),
-- every write goes through the service role, and the service keeps a private register of the bot ids Attendee
-- issued to it, per owner and meeting, which it checks before any call naming an existing bot.
-- Rollback: supabase/rollbacks/20261201120100_meeting_bots_service_owned.sql

drop policy insert_own on public.meeting_bots;
drop policy update_own on public.meeting_bots;
drop policy delete_own on public.meeting_bots;
revoke insert, update, delete on table public.meeting_bots from authenticated;

-- Not tied to auth.users or the bot row by a cascading key: after a meeting or an account is deleted, the job
-- that cancels its bot at Attendee still needs to prove the id was ours.
create table app_private.issued_attendee_bots (
  attendee_bot_id text primary key,
  user_id uuid not null,
  meeting_id uuid not null,
  created_at timestamptz not null default now()
);

comment on table app_private.issued_attendee_bots is
  'Attendee bot ids returned by our own create calls, with the user and meeting each was created for.';

create index issued_attendee_bots_user_id_idx on app_private.issued_attendee_bots (user_id);

alter table app_private.issued_attendee_bots enable row level security;
revoke all on table app_private.issued_attendee_bots from public, anon, authenticated;
grant select, insert, delete on table app_private.issued_attendee_bots to service_role;

-- Bots created before the register existed: their ids were written by the service's own create calls.
insert into app_private.issued_attendee_bots (attendee_bot_id, user_id, meeting_id)
select attendee_bot_id, user_id, meeting_id from public.meeting_bots
where attendee_bot_id is not null and sent
on conflict do nothing;
