drop table if exists public.meetings;
