import { z } from 'zod';
import { defineJob } from '../../shared/jobs/contract.ts';
import type { AppServices } from '../../shared/services.ts';

export const crashJob = defineJob('test.crash', z.object({ amount: z.number().int() }));

/** The tables of the crash test: every delivery, and the effect that must happen once per job. */
export const CRASH_TABLES = `
  create table public.test_deliveries (job_id uuid not null, attempt int not null, at timestamptz not null default now());
  create table public.test_effects (job_id uuid primary key, amount int not null);`;

/**
 * The handler of test.crash: logs the delivery, then applies the effect keyed by job id (`on conflict do
 * nothing`), in one transaction, before `afterEffect` runs. A redelivery after a crash logs a second delivery
 * and finds the effect already there.
 */
export function registerCrashHandler(
  services: AppServices,
  afterEffect: (jobId: string, retryCount: number) => Promise<void>,
): void {
  services.jobs.registry.register(crashJob, async (data, job) => {
    await services.db.asService(async (tx) => {
      await tx.query('insert into public.test_deliveries (job_id, attempt) values ($1, $2)', [
        job.id,
        job.retryCount,
      ]);
      await tx.query(
        'insert into public.test_effects (job_id, amount) values ($1, $2) on conflict do nothing',
        [job.id, data.amount],
      );
    });
    await afterEffect(job.id, job.retryCount);
    return { applied: data.amount };
  });
}
