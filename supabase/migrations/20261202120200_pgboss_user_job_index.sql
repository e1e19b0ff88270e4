-- The per-user job lookups (app_private.user_queue_health for GET /ai/metrics, app_private.delete_user_jobs for
-- DELETE /ai/me/data) find a user's jobs by their payload, `data->>'userId'`. Without an index each
-- of them reads every job of every tenant. (The deletion's other arm, workflow jobs naming one of the user's
-- executions, goes through pg-boss's own index on the queue name.) Created on the
-- partitioned pgboss.job, so job_common and every queue table pg-boss creates later get it too.
-- Rollback: supabase/rollbacks/20261202120200_pgboss_user_job_index.sql

create index job_user_id_idx on pgboss.job ((data ->> 'userId'));
