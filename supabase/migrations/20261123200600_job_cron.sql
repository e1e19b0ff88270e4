-- Supabase Cron: registers every app_private.job_schedules row with pg_cron, only where pg_cron can run here
-- (available, preloaded, and this is its cron.database_name). Elsewhere (the embedded local Postgres) nothing
-- is registered and the Node worker drives the same schedules itself.
--
-- Where pg_net is available too (Supabase), a further schedule calls POST /functions/v1/jobs/drain every minute,
-- so jobs are processed with no long-running worker. It reads two Vault secrets, created once per project:
--   select vault.create_secret('https://<project-ref>.supabase.co', 'project_url');
--   select vault.create_secret('<service role key>', 'service_role_key');
-- Until both exist the drain schedule logs a warning and does nothing.
-- Rollback: supabase/rollbacks/20261123200600_job_cron.sql

do $cron$
begin
  if not exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    raise notice 'pg_cron is not available: the Node worker runs app_private.job_schedules';
    return;
  end if;
  if current_setting('cron.database_name', true) is distinct from current_database() then
    raise notice 'pg_cron does not run in this database (cron.database_name = %): the Node worker runs the schedules',
      coalesce(current_setting('cron.database_name', true), 'unset: pg_cron is not preloaded');
    return;
  end if;

  create extension if not exists pg_cron;
  perform cron.schedule(s.name, s.cron, format('select app_private.run_schedule(%L)', s.name))
  from app_private.job_schedules s;

  if not exists (select 1 from pg_available_extensions where name = 'pg_net')
    or not exists (select 1 from pg_namespace where nspname = 'vault') then
    raise notice 'pg_net or Vault is absent: no drain schedule; run a worker (npm run worker)';
    return;
  end if;

  create extension if not exists pg_net with schema extensions;
  -- Created only here: it names net.* and vault.*, which exist only where this branch runs.
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
  revoke all on function app_private.request_job_drain(integer) from public, anon, authenticated;
  perform cron.schedule('ai-drain-jobs', '* * * * *', 'select app_private.request_job_drain()');
end
$cron$;
