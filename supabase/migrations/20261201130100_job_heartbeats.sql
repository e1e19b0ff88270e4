-- Heartbeats on every worked queue (shared/jobs/queues.ts HEARTBEAT_SECONDS): a worker touches its running jobs
-- every 5 s, and supervision fails a job back to retry once its beat is 10 s late. A killed worker's jobs so
-- come back within seconds instead of after the queue's expiry (up to 15 minutes). Dead-letter queues, which no
-- one works, keep none. Jobs inherit the queue's heartbeat when they are inserted (pg-boss's send and
-- app_private.enqueue_job both copy it).
-- Rollback: supabase/rollbacks/20261201130100_job_heartbeats.sql

update pgboss.queue
set heartbeat_seconds = 10, updated_on = now()
where name like 'ai.%' and name not like '%.dead';
