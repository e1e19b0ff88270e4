drop table if exists public.user_ai_settings;
