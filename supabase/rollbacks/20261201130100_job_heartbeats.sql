-- Rollback of 20261201130100_job_heartbeats.sql.
update pgboss.queue set heartbeat_seconds = null, updated_on = now() where name like 'ai.%';
