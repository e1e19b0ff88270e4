import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { Database, Queryable } from '../db/database.ts';
import type { Logger } from '../http/logger.ts';
import { defineJob } from './contract.ts';
import { SCHEDULE_QUEUE } from './queues.ts';
import type { JobHandler } from './registry.ts';

/** One periodic task of app_private.job_schedules, the single list both schedule drivers read. */
export interface JobSchedule {
  name: string;
  cron: string;
  description: string;
}

export const RunScheduleSchema = z.object({ name: z.string().regex(/^[a-z0-9-]+$/) });
export const runScheduleJob = defineJob(SCHEDULE_QUEUE, RunScheduleSchema);

/** The periodic tasks, as the migrations define them. */
export async function readSchedules(tx: Queryable): Promise<JobSchedule[]> {
  const { rows } = await tx.query<JobSchedule>(
    'select name, cron, description from app_private.job_schedules order by name',
  );
  return rows;
}

/** True when pg_cron runs in this database and has the schedules (the migration registered them). */
async function pgCronDrivesSchedules(tx: Queryable): Promise<boolean> {
  const { rows } = await tx.query<{ installed: boolean }>(
    `select exists (select 1 from pg_extension where extname = 'pg_cron') as installed`,
  );
  return rows[0]?.installed === true;
}

/** Runs one schedule's command: the same function pg_cron calls. Idempotent as each command is. */
export function runScheduleHandler(db: Database): JobHandler<z.infer<typeof RunScheduleSchema>> {
  return async function runSchedule({ name }) {
    // Periodic work is nobody's request: it runs as the service role.
    await db.asService((tx) => tx.query('select app_private.run_schedule($1)', [name]));
    return { schedule: name };
  };
}

/**
 * The worker's schedule driver: where pg_cron is absent, schedules every row of app_private.job_schedules with
 * pg-boss's cron (one job on `ai.run_schedule` per tick, across any number of workers) and removes schedules
 * no longer listed; where pg_cron drives them, removes any left from before, so nothing runs twice.
 */
export async function syncSchedules(
  boss: PgBoss,
  db: Database,
  logger: Logger,
): Promise<{ driver: 'pg_cron' | 'worker'; schedules: string[] }> {
  const { schedules, pgCron } = await db.asService(async (tx) => ({
    schedules: await readSchedules(tx),
    pgCron: await pgCronDrivesSchedules(tx),
  }));
  const wanted = new Set(pgCron ? [] : schedules.map((s) => s.name));
  for (const existing of await boss.getSchedules(SCHEDULE_QUEUE)) {
    if (!wanted.has(existing.key)) await boss.unschedule(SCHEDULE_QUEUE, existing.key);
  }
  if (!pgCron) {
    for (const schedule of schedules) {
      await boss.schedule(
        SCHEDULE_QUEUE,
        schedule.cron,
        { name: schedule.name },
        { key: schedule.name, tz: 'UTC' },
      );
    }
  }
  const driver = pgCron ? 'pg_cron' : 'worker';
  logger.info('schedules synced', { driver, schedules: schedules.map((s) => s.name) });
  return { driver, schedules: [...wanted] };
}
