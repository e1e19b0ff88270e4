drop table if exists public.meeting_bots;
