-- What keeping a bot in step needs: the meeting link the bot was sent to (a moved link is patched), and the time
-- of the Attendee event behind the current state, so a late or repeated webhook never moves the state backwards.
alter table public.meeting_bots
  add column meeting_url text,
  add column state_changed_at timestamptz;
