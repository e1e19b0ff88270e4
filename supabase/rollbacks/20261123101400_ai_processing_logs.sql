drop table if exists public.ai_processing_logs;
