-- Rollback of 20261202130100_ai_call_retries.sql.
alter table public.ai_processing_logs drop column retry_wait_ms, drop column retries;
