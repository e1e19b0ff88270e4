-- Enqueueing from SQL (pg_cron, the schedules): pg-boss has no SQL function for it, so this inserts the job row
-- the way pg-boss's send() does, copying the queue's settings from pgboss.queue (policy, retries, backoff,
-- expiry, retention, dead letter) and waking listening workers with the same NOTIFY channel pg-boss uses.
-- Rollback: supabase/rollbacks/20261123200200_job_enqueue.sql

create schema if not exists app_private;
revoke all on schema app_private from public, anon, authenticated;
-- The jobs function and the workers reach app_private's few granted objects as service_role.
grant usage on schema app_private to service_role;

create or replace function app_private.enqueue_job(
  queue_name text,
  data jsonb default '{}'::jsonb,
  singleton_key text default null,
  singleton_seconds integer default null,
  start_after timestamptz default null
)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  q pgboss.queue;
  starts timestamptz := coalesce(start_after, pgboss.job_now());
  job_id uuid;
begin
  select * into q from pgboss.queue where name = queue_name;
  if not found then
    raise exception 'queue "%" does not exist', queue_name using errcode = 'P0002';
  end if;
  if singleton_seconds is not null and singleton_seconds < 1 then
    raise exception 'singleton_seconds must be at least 1' using errcode = '22023';
  end if;

  insert into pgboss.job (
    name, data, priority, state, retry_limit, retry_delay, retry_backoff, retry_delay_max,
    expire_seconds, deletion_seconds, keep_until, singleton_key, singleton_on, start_after,
    created_on, policy, dead_letter, heartbeat_seconds
  )
  values (
    q.name, data, 0, 'created', q.retry_limit, q.retry_delay, q.retry_backoff, q.retry_delay_max,
    q.expire_seconds, q.deletion_seconds, starts + q.retention_seconds * interval '1s', singleton_key,
    -- The throttling slot pg-boss computes for singletonSeconds: one job per queue, key and slot.
    case when singleton_seconds is not null then
      'epoch'::timestamp + '1s'::interval
        * (singleton_seconds * floor(date_part('epoch', pgboss.job_now()) / singleton_seconds))
    end,
    starts, pgboss.job_now(), q.policy, q.dead_letter, q.heartbeat_seconds
  )
  on conflict do nothing
  returning id into job_id;

  if job_id is not null and q.notify and starts <= pgboss.job_now() then
    perform pg_notify('pgboss_' || left(encode(sha224('pgboss'::bytea), 'hex'), 24), q.name);
  end if;
  return job_id;
end
$$;

comment on function app_private.enqueue_job(text, jsonb, text, integer, timestamptz) is
  'Sends a pg-boss job from SQL with its queue''s settings; returns its id, or null when a singleton slot already holds one.';

revoke all on function app_private.enqueue_job(text, jsonb, text, integer, timestamptz) from public, anon, authenticated;
