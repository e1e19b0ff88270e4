drop table if exists public.user_bot_settings;
