import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monitorJob } from '../../shared/jobs/handlers/monitor.ts';
import { QUEUE_NAMES, SCHEDULE_QUEUE } from '../../shared/jobs/queues.ts';
import { runScheduleJob } from '../../shared/jobs/schedules.ts';
import { startJobWorker } from '../../shared/jobs/worker-runtime.ts';
import type { AppServices } from '../../shared/services.ts';
import { createTestDatabase, type TestDatabase, testDatabaseUrl } from '../support/db.ts';
import { closeServices, createTestServices, nextSettled } from '../support/jobs.ts';
import { skipWithout } from '../support/tools.ts';

describe('the schedules where pg_cron is absent (the Node worker drives them)', () => {
  let database: TestDatabase;
  let services: AppServices;
  let admin: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    services = createTestServices(database.url);
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await closeServices(services);
    await database.drop();
  });

  it('schedules every row of app_private.job_schedules with pg-boss and runs them through run_schedule', async () => {
    const running = await startJobWorker(services, {
      databaseUrl: database.url,
      queues: [SCHEDULE_QUEUE, monitorJob.queue],
      schedules: true,
    });
    try {
      expect(running.scheduleDriver).toBe('worker');
      const scheduled = await running.boss.getSchedules(SCHEDULE_QUEUE);
      expect(scheduled.map((s) => [s.key, s.cron, s.data]).sort()).toEqual([
        ['ai-auto-schedule-bots', '*/15 * * * *', { name: 'ai-auto-schedule-bots' }],
        ['ai-cleanup-expired-workflows', '7 * * * *', { name: 'ai-cleanup-expired-workflows' }],
        ['ai-monitor-ai-processing', '* * * * *', { name: 'ai-monitor-ai-processing' }],
        ['ai-supervise-jobs', '* * * * *', { name: 'ai-supervise-jobs' }],
      ]);

      // What pg-boss's cron sends on a tick: the monitoring schedule enqueues the monitor, which records health.
      const monitored = nextSettled(running.worker, monitorJob.queue, (r) => r.completed.length > 0);
      const ran = nextSettled(running.worker, SCHEDULE_QUEUE, (r) => r.completed.length > 0);
      await services.jobs.send(runScheduleJob, { name: 'ai-monitor-ai-processing' });
      await ran;
      const [monitorId] = (await monitored).completed;
      const { rows } = await admin.query(
        `select array_agg(q->>'queue') as queues
           from app_private.job_health_snapshots s, jsonb_array_elements(s.queues) q where s.job_id = $1`,
        [monitorId],
      );
      expect(rows[0].queues).toEqual(expect.arrayContaining([...QUEUE_NAMES, SCHEDULE_QUEUE]));
    } finally {
      await running.stop();
    }
  });

  it('records one health snapshot per monitoring job, even when the job runs twice', async () => {
    const handler = services.jobs.registry.get(monitorJob.queue)!.handler;
    const id = crypto.randomUUID();
    const context = {
      id,
      queue: monitorJob.queue,
      retryCount: 0,
      signal: new AbortController().signal,
      logger: services.logger,
    };
    await admin.query(
      `select app_private.enqueue_job('ai.schedule_meeting_bot', '{}', start_after => now())`,
    );
    expect(await handler({ maxQueued: 1000 }, context)).toMatchObject({ recorded: true });
    expect(await handler({ maxQueued: 1000 }, { ...context, retryCount: 1 })).toMatchObject({
      recorded: false,
    });
    const { rows } = await admin.query(
      'select queues, alerts from app_private.job_health_snapshots where job_id = $1',
      [id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].queues).toContainEqual(
      expect.objectContaining({
        queue: 'ai.schedule_meeting_bot',
        queued: 1,
        deadLetter: 'ai.schedule_meeting_bot.dead',
      }),
    );
  });

  it('raises alerts past its thresholds', async () => {
    const handler = services.jobs.registry.get(monitorJob.queue)!.handler;
    const id = crypto.randomUUID();
    await admin.query(`select app_private.enqueue_job('ai.schedule_meeting_bot', '{}')`);
    await handler(
      { maxQueued: 1 },
      {
        id,
        queue: monitorJob.queue,
        retryCount: 0,
        signal: new AbortController().signal,
        logger: services.logger,
      },
    );
    const { rows } = await admin.query(
      'select alerts from app_private.job_health_snapshots where job_id = $1',
      [id],
    );
    expect(rows[0].alerts).toContainEqual({
      queue: 'ai.schedule_meeting_bot',
      kind: 'large_backlog',
      value: 2,
      threshold: 1,
    });
  });
});

describe('Supabase Cron (pg_cron) driving the schedules', () => {
  const hasPgCron = process.env.TEST_HAS_PG_CRON === 'true';

  it.skipIf(skipWithout(hasPgCron))(
    'fires the monitoring schedule, whose job a worker processes',
    async () => {
      // pg_cron runs only in its own database (cron.database_name), migrated like the template.
      const url = testDatabaseUrl(process.env.TEST_CRON_DB ?? 'ai_cron');
      const services = createTestServices(url);
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const running = await startJobWorker(services, {
        databaseUrl: url,
        queues: [monitorJob.queue],
        schedules: true,
      });
      try {
        expect(running.scheduleDriver).toBe('pg_cron');
        const { rows: jobs } = await admin.query(
          `select jobname, schedule, command from cron.job where jobname like 'ai-%' order by jobname`,
        );
        expect(jobs.map((job) => job.jobname)).toEqual([
          'ai-auto-schedule-bots',
          'ai-cleanup-expired-workflows',
          'ai-monitor-ai-processing',
          'ai-supervise-jobs',
        ]);
        expect(jobs[2]).toMatchObject({
          schedule: '* * * * *',
          command: `select app_private.run_schedule('ai-monitor-ai-processing')`,
        });

        // Only a job created after this point proves the schedule fired during the test (pg_cron: once a minute).
        const since: Date = (await admin.query('select now() as now')).rows[0].now;
        const deadline = Date.now() + 75_000;
        let fired: string | undefined;
        while (!fired) {
          const batch = await nextSettled(
            running.worker,
            monitorJob.queue,
            (r) => r.completed.length > 0,
            Math.max(1, deadline - Date.now()),
          );
          const { rows } = await admin.query(
            'select id from pgboss.job where name = $1 and id = any($2::uuid[]) and created_on > $3',
            [monitorJob.queue, batch.completed, since],
          );
          fired = rows[0]?.id;
        }
        const { rows: runs } = await admin.query(
          `select d.status from cron.job_run_details d join cron.job j on j.jobid = d.jobid
            where j.jobname = 'ai-monitor-ai-processing' and d.start_time > $1`,
          [since],
        );
        expect(runs.map((run) => run.status)).toContain('succeeded');
        const { rows: snapshots } = await admin.query(
          'select 1 from app_private.job_health_snapshots where job_id = $1',
          [fired],
        );
        expect(snapshots).toHaveLength(1);
      } finally {
        await running.stop();
        await admin.end();
        await closeServices(services);
      }
    },
    90_000,
  );
});
