// The hosted schedules, locally, for the stack without a worker (LOCAL_WORKER=false): what Supabase Cron does
// on a hosted project. Every app_private.job_schedules row runs `app_private.run_schedule(name)` at its cron
// times, as pg_cron would, and a drain is started over HTTP (POST /functions/v1/jobs/drain, in the background)
// every `drainEverySeconds`, as pg_net does for the hosted 'ai-drain-jobs' schedule. cron-parser 5 reads the
// expressions.
import { CronExpressionParser } from 'cron-parser';
import { readSchedules } from '../shared/jobs/schedules.ts';
import type { AppServices } from '../shared/services.ts';

export interface LocalCronOptions {
  services: AppServices;
  /** The jobs function, e.g. http://127.0.0.1:54321/functions/v1/jobs. */
  drainUrl: string;
  serviceRoleKey: string;
  /** Hosted Supabase Cron starts one every 10 s (pg_cron >= 1.5). */
  drainEverySeconds?: number;
}

export interface LocalCron {
  /** Drains asked for so far, and schedule runs. */
  readonly counts: { drains: number; schedules: number };
  stop(): Promise<void>;
}

export async function startLocalCron(options: LocalCronOptions): Promise<LocalCron> {
  const { services } = options;
  const logger = services.logger.child({ component: 'local-cron' });
  const schedules = await services.db.asService((tx) => readSchedules(tx), { readOnly: true });
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const inFlight = new Set<Promise<unknown>>();
  const counts = { drains: 0, schedules: 0 };
  let stopped = false;

  const track = (task: Promise<unknown>) => {
    const tracked = task.catch(() => {}).finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  function at(date: Date, run: () => void) {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        if (!stopped) run();
      },
      Math.max(0, date.getTime() - Date.now()),
    );
    timers.add(timer);
  }

  for (const schedule of schedules) {
    const times = CronExpressionParser.parse(schedule.cron, { tz: 'UTC', currentDate: new Date() });
    const next = () =>
      at(times.next().toDate(), () => {
        next();
        counts.schedules++;
        track(
          services.db
            .asService((tx) => tx.query('select app_private.run_schedule($1)', [schedule.name]))
            .catch((error: unknown) =>
              logger.warn('schedule failed', { schedule: schedule.name, error: String(error) }),
            ),
        );
      });
    next();
  }

  const everyMs = (options.drainEverySeconds ?? 10) * 1000;
  const drain = () => {
    at(new Date(Date.now() + everyMs), drain);
    counts.drains++;
    track(
      fetch(`${options.drainUrl}/drain`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${options.serviceRoleKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ background: true }),
        signal: AbortSignal.timeout(10_000),
      })
        .then((response) => response.body?.cancel())
        .catch((error: unknown) => logger.warn('drain request failed', { error: String(error) })),
    );
  };
  at(new Date(Date.now() + everyMs), drain);

  return {
    counts,
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
}
