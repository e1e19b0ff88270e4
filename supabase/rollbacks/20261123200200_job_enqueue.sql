-- Rollback of 20261123200200_job_enqueue.sql (app_private may hold other migrations' objects: it stays).
drop function if exists app_private.enqueue_job(text, jsonb, text, integer, timestamptz);
