-- Rollback of 20261123200300_job_health.sql.
drop table if exists app_private.job_health_snapshots;
drop function if exists app_private.queue_health();
