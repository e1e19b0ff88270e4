-- Rollback of 20261201130200_job_heartbeat_supervision.sql: supervise_jobs as 20261123200400 defined it.
create or replace function app_private.supervise_jobs()
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  picked integer;
  total integer := 0;
begin
  loop
    picked := app_private.expire_timed_out_jobs();
    total := total + picked;
    exit when picked < 1000;
  end loop;
  return total;
end
$$;

comment on function app_private.supervise_jobs() is
  'Brings back jobs whose worker died: expired active jobs are retried with backoff or dead-lettered.';

revoke all on function app_private.supervise_jobs() from public, anon, authenticated;
drop function if exists app_private.fail_heartbeat_lost_jobs();
