-- A bot Attendee refused (or that could not be sent) is recorded with state 'failed'. Like the terminal states it
-- must not hold the meeting's one live-bot slot, or a failed meeting could never be scheduled again.
drop index public.meeting_bots_one_live_bot_per_meeting;

create unique index meeting_bots_one_live_bot_per_meeting on public.meeting_bots (meeting_id)
  where state not in ('fatal_error', 'ended', 'data_deleted', 'cancelled', 'failed');
