-- Rollback of 20261123200500_job_schedules.sql (roll back 20261123200600_job_cron.sql first).
drop function if exists app_private.run_schedule(text);
drop function if exists app_private.enqueue_auto_schedule_jobs();
drop table if exists app_private.job_schedules;
