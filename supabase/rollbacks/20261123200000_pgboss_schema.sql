-- Rollback of 20261123200000_pgboss_schema.sql: pg-boss owns its schema, so it goes whole, jobs included.
drop schema if exists pgboss cascade;
