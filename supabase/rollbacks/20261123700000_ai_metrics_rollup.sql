-- Rollback of 20261123700000_ai_metrics_rollup.sql. Loses only derived data: the rollup is rebuilt from
-- ai_processing_logs by the next refresh after the migration is applied again.
drop function if exists app_private.refresh_ai_metrics_rollup(timestamptz, interval);
drop table if exists app_private.ai_metrics_rollup_state;
drop table if exists public.ai_metrics_rollup;
drop function if exists public.ai_latency_bucket(integer);
