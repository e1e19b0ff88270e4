import type { PgBoss } from 'pg-boss';
import type { AppServices } from '../services.ts';
import { createWorkerBoss } from './boss.ts';
import { syncSchedules } from './schedules.ts';
import { JobWorker } from './worker.ts';

export interface StartWorkerOptions {
  databaseUrl: string;
  /** The queues to work; every registered queue by default. */
  queues?: string[];
  pollIntervalMs?: number;
  loopsPerQueue?: number;
  superviseIntervalSeconds?: number;
  /** Drive app_private.job_schedules with pg-boss's cron where pg_cron is absent (default true). */
  schedules?: boolean;
}

export interface RunningWorker {
  worker: JobWorker;
  boss: PgBoss;
  scheduleDriver: 'pg_cron' | 'worker' | 'off';
  stop(graceMs?: number): Promise<void>;
}

/** Starts the long-running worker of a process: its pg-boss (supervising), the schedules, and the fetch loops. */
export async function startJobWorker(
  services: AppServices,
  options: StartWorkerOptions,
): Promise<RunningWorker> {
  const schedules = options.schedules ?? true;
  const boss = createWorkerBoss(options.databaseUrl, services.logger, {
    superviseIntervalSeconds: options.superviseIntervalSeconds,
    schedule: schedules,
  });
  await boss.start();
  try {
    // A worker starting after another died takes up the dead one's jobs now (those whose heartbeat is
    // already late), not one supervise interval later.
    await boss.supervise();
    const scheduleDriver = schedules
      ? (await syncSchedules(boss, services.db, services.logger)).driver
      : 'off';
    const worker = await new JobWorker({
      boss,
      registry: services.jobs.registry,
      logger: services.logger.child({ component: 'worker' }),
      databaseUrl: options.databaseUrl,
      queues: options.queues,
      pollIntervalMs: options.pollIntervalMs,
      loopsPerQueue: options.loopsPerQueue,
    }).start();
    return {
      worker,
      boss,
      scheduleDriver,
      async stop(graceMs) {
        await worker.stop(graceMs);
        // The loops are done, so pg-boss has nothing in flight to wait for; a database already going down (Ctrl-C
        // reaches an embedded Postgres too) must not turn a clean stop into a failed one.
        await boss.stop({ graceful: false }).catch((error: unknown) => {
          services.logger.warn('pg-boss did not stop cleanly', { error: String(error) });
        });
      },
    };
  } catch (error) {
    await boss.stop({ graceful: false });
    throw error;
  }
}
