-- Rollback of 20261123200600_job_cron.sql: unschedules this project's jobs; pg_cron and pg_net stay installed,
-- since other schedules may use them.
do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_cron') then
    perform cron.unschedule(j.jobid)
    from cron.job j
    where j.jobname in (
      'ai-auto-schedule-bots', 'ai-cleanup-expired-workflows', 'ai-monitor-ai-processing',
      'ai-supervise-jobs', 'ai-drain-jobs'
    );
  end if;
end
$$;
drop function if exists app_private.request_job_drain(integer);
