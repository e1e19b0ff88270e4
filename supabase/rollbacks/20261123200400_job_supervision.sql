-- Rollback of 20261123200400_job_supervision.sql.
drop function if exists app_private.supervise_jobs();
drop function if exists app_private.expire_timed_out_jobs();
