import { monitorHandler, monitorJob } from '../jobs/handlers/monitor.ts';
import type { AppServices } from '../services.ts';
import { withOpsMonitoring } from './monitor.ts';

/**
 * `ai.monitor_ai_processing`: the queue-health snapshot of shared/jobs, then the operations pass (metrics rollup,
 * alert thresholds). Registered here, not in shared/jobs, so jobs never imports ops.
 */
export function registerOpsJobs(services: AppServices): void {
  // Singleton queue: one run at a time.
  services.jobs.registry.register(monitorJob, withOpsMonitoring(monitorHandler(services.db), services), {
    concurrency: 1,
  });
}
