-- Rollback of 20261202160000_job_drain_slots.sql: the drain schedule back to every minute with a synchronous
-- drain (as 20261123200600 made it, where it exists), then the slots and their functions dropped.
do $cron$
begin
  if not exists (select 1 from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
                 where n.nspname = 'app_private' and p.proname = 'request_job_drain') then
    return;
  end if;
  execute $fn$
    create or replace function app_private.request_job_drain(budget_ms integer default 50000)
    returns bigint
    language plpgsql
    security definer
    set search_path = ''
    as $$
    declare
      project_url text;
      service_key text;
    begin
      select decrypted_secret into project_url from vault.decrypted_secrets where name = 'project_url';
      select decrypted_secret into service_key from vault.decrypted_secrets where name = 'service_role_key';
      if project_url is null or service_key is null then
        raise warning 'Vault secrets project_url and service_role_key are required to drain jobs';
        return null;
      end if;
      return net.http_post(
        url := rtrim(project_url, '/') || '/functions/v1/jobs/drain',
        body := jsonb_build_object('budgetMs', budget_ms),
        headers := jsonb_build_object(
          'Content-Type', 'application/json',
          'Authorization', 'Bearer ' || service_key
        ),
        timeout_milliseconds := budget_ms + 10000
      );
    end
    $$
  $fn$;
  perform cron.schedule('ai-drain-jobs', '* * * * *', 'select app_private.request_job_drain()');
end
$cron$;

drop function if exists app_private.job_drain_cron();
drop function if exists app_private.ready_job_queues(text[]);
drop function if exists app_private.release_job_drain_slot(smallint, uuid);
drop function if exists app_private.claim_job_drain_slot(integer);
drop table if exists app_private.job_drain_slots;
-- The slots' state is transient: nothing is lost.
