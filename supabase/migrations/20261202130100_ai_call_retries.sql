-- A call that waited for a rate limit (the shared limiter's, or the provider's 429) and was then served is a
-- success that was retried, not an error: how often it was asked again and how long it waited are recorded on
-- its one log row. The error rate (metrics and alerts) counts only calls whose final status is `error`.
-- Rollback: supabase/rollbacks/20261202130100_ai_call_retries.sql
alter table public.ai_processing_logs
  add column retries integer not null default 0 check (retries >= 0),
  add column retry_wait_ms integer not null default 0 check (retry_wait_ms >= 0);

comment on column public.ai_processing_logs.retries is
  'Times the call was asked again after a rate limit or a transient provider failure before its final status.';
comment on column public.ai_processing_logs.retry_wait_ms is
  'Milliseconds the call waited between its attempts (Retry-After, backoff, the shared rate limiter).';
