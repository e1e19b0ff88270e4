-- Dropping the table also takes it out of the supabase_realtime publication.
drop table if exists public.notifications;
