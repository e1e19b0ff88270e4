-- Rollback of 20261123700100_ai_alerts.sql. Loses the recorded alerts.
drop table if exists public.ai_alerts;
