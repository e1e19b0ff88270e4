-- The per-user job lookups scan every job again.
drop index if exists pgboss.job_user_id_idx;
