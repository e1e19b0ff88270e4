import { withOpsMonitoring } from '../ops/monitor.ts';
import type { AppServices } from '../services.ts';
import { monitorHandler, monitorJob } from './handlers/monitor.ts';
import { routeAiTasksHandler, routeAiTasksJob } from './handlers/route-ai-tasks.ts';
import { runScheduleHandler, runScheduleJob } from './schedules.ts';

/**
 * Registers the handler of every queue this codebase runs. Each service adds its queues here with
 * `services.jobs.registry.register(contract, handler)` (or `registerHandler(queue, schema, fn)`); the worker
 * and `POST /jobs/drain` then run them alike.
 */
export function registerJobHandlers(services: AppServices): void {
  const { registry } = services.jobs;
  registry.register(routeAiTasksJob, routeAiTasksHandler(services.jobs), { concurrency: 20 });
  // Singleton queue: one run at a time.
  registry.register(monitorJob, withOpsMonitoring(monitorHandler(services.db), services), { concurrency: 1 });
  registry.register(runScheduleJob, runScheduleHandler(services.db), { concurrency: 5 });
}
