import type { AppServices } from '../services.ts';
import { routeAiTasksHandler, routeAiTasksJob } from './handlers/route-ai-tasks.ts';
import { runScheduleHandler, runScheduleJob } from './schedules.ts';

/**
 * Registers this folder's own queues (AI task routing, schedules). Every domain registers its queues the same
 * way, `services.jobs.registry.register(contract, handler)`, from its own jobs.ts, and createServices
 * (shared/runtime.ts) calls them all; the worker and `POST /jobs/drain` then run them alike.
 * `ai.monitor_ai_processing` is registered by ops (shared/ops/jobs.ts), which wraps this folder's queue-health
 * handler with its own pass.
 */
export function registerJobHandlers(services: AppServices): void {
  const { registry } = services.jobs;
  registry.register(routeAiTasksJob, routeAiTasksHandler(services.jobs), { concurrency: 20 });
  registry.register(runScheduleJob, runScheduleHandler(services.db), { concurrency: 5 });
}
