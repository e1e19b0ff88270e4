import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { defineJob } from '../contract.ts';
import { type QueueHealth, readQueueHealth } from '../health.ts';
import type { JobHandler } from '../registry.ts';

/** Supabase Cron (or the worker's schedule) sends `{}`; thresholds may be overridden per run. */
export const MonitorJobSchema = z
  .object({
    maxOldestReadySeconds: z.number().int().min(1).optional(),
    maxQueued: z.number().int().min(1).optional(),
  })
  .strict();
export const monitorJob = defineJob('ai.monitor_ai_processing', MonitorJobSchema);

const ALERT_THRESHOLDS = { maxOldestReadySeconds: 300, maxQueued: 1000 };
const SNAPSHOT_RETENTION_DAYS = 7;

export interface QueueAlert {
  queue: string;
  kind: 'stale_backlog' | 'large_backlog' | 'dead_letters' | 'failures';
  value: number;
  threshold: number;
}

/** The alerts a health reading raises: work waiting too long or piling up, and jobs that failed for good. */
export function evaluateAlerts(
  health: QueueHealth[],
  thresholds: { maxOldestReadySeconds: number; maxQueued: number } = ALERT_THRESHOLDS,
): QueueAlert[] {
  const alerts: QueueAlert[] = [];
  for (const q of health) {
    if (q.oldestReadySeconds > thresholds.maxOldestReadySeconds) {
      alerts.push({
        queue: q.queue,
        kind: 'stale_backlog',
        value: q.oldestReadySeconds,
        threshold: thresholds.maxOldestReadySeconds,
      });
    }
    if (q.queued > thresholds.maxQueued) {
      alerts.push({
        queue: q.queue,
        kind: 'large_backlog',
        value: q.queued,
        threshold: thresholds.maxQueued,
      });
    }
    if (q.deadLettered > 0)
      alerts.push({ queue: q.queue, kind: 'dead_letters', value: q.deadLettered, threshold: 0 });
    if (q.failed > 0) alerts.push({ queue: q.queue, kind: 'failures', value: q.failed, threshold: 0 });
  }
  return alerts;
}

/**
 * `ai.monitor_ai_processing`: reads every queue's health, records it with its alerts in
 * app_private.job_health_snapshots (one row per job id, so a redelivered job records nothing twice), logs the
 * alerts, and prunes snapshots past retention.
 */
export function monitorHandler(db: Database): JobHandler<z.infer<typeof MonitorJobSchema>> {
  return async function monitorAiProcessing(data, context) {
    // Queue health spans every user's work: the service role reads it, no user initiates it.
    const { health, alerts, recorded } = await db.asService(async (tx) => {
      const health = await readQueueHealth(tx);
      const alerts = evaluateAlerts(health, { ...ALERT_THRESHOLDS, ...data });
      const { rowCount } = await tx.query(
        `insert into app_private.job_health_snapshots (job_id, queues, alerts) values ($1, $2, $3)
         on conflict (job_id) do nothing`,
        [context.id, JSON.stringify(health), JSON.stringify(alerts)],
      );
      await tx.query(
        `delete from app_private.job_health_snapshots where created_at < now() - make_interval(days => $1)`,
        [SNAPSHOT_RETENTION_DAYS],
      );
      return { health, alerts, recorded: rowCount === 1 };
    });
    for (const alert of alerts) context.logger.warn('queue alert', { ...alert });
    return { queues: health.length, alerts: alerts.length, recorded };
  };
}
