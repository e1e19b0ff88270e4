drop table if exists public.bot_scheduling_logs;
