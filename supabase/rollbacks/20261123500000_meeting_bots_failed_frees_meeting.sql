-- Restores the index without 'failed'. Several failed rows of one meeting would break it: give them a terminal
-- state the original index knows first.
update public.meeting_bots set state = 'fatal_error' where state = 'failed';

drop index if exists public.meeting_bots_one_live_bot_per_meeting;

create unique index meeting_bots_one_live_bot_per_meeting on public.meeting_bots (meeting_id)
  where state not in ('fatal_error', 'ended', 'data_deleted', 'cancelled');
