// The operations part of `ai.monitor_ai_processing`: roll the metrics up, then check the alert thresholds.
import type { Database } from '../db/database.ts';
import type { Logger } from '../http/logger.ts';
import type { JobHandler } from '../jobs/registry.ts';
import { type AlertCheckResult, checkAlertThresholds } from './alerts.ts';
import type { AlertThresholds } from './config.ts';
import { refreshAiMetricsRollup } from './metrics.ts';

interface OpsMonitorDeps {
  db: Database;
  logger: Logger;
  thresholds: AlertThresholds;
}

/**
 * Paid calls in flight for 15 minutes (their process died): those sent are logged as `abandoned` errors at their
 * estimate; those that never left the provider pacer are deleted unlogged (nothing was asked).
 */
async function settleAbandonedCalls(db: Database): Promise<{ logged: number; unsent: number }> {
  // Calls of every user: the service role settles them, no user initiates it.
  const { rows } = await db.asService((tx) =>
    tx.query<{ logged: number; unsent: number }>(
      'select logged, unsent from ai_private.settle_abandoned_ai_calls()',
    ),
  );
  return rows[0]!;
}

/**
 * One monitoring pass: settles abandoned paid calls, refreshes the metrics rollup and records the alerts of
 * crossed thresholds. Idempotent.
 */
async function runOpsMonitor(deps: OpsMonitorDeps) {
  const abandoned = await settleAbandonedCalls(deps.db);
  const rollup = await refreshAiMetricsRollup(deps.db);
  const alerts: AlertCheckResult = await checkAlertThresholds(deps);
  return {
    abandonedCalls: abandoned.logged,
    unsentCallsDeleted: abandoned.unsent,
    rollup: { rolledUpTo: rollup.rolledUpTo.toISOString(), groups: rollup.groups },
    alerts: { ...alerts.checked, raised: alerts.raised.length },
  };
}

/**
 * Wraps the queue engineer's `ai.monitor_ai_processing` handler (queue health snapshots) so each run also does
 * the operations pass; the result carries both.
 */
export function withOpsMonitoring<T>(
  handler: JobHandler<T>,
  services: { db: Database; config: { ops: { alerts: AlertThresholds } } },
): JobHandler<T> {
  return async function monitorWithOps(data, context) {
    const result = await handler(data, context);
    const ops = await runOpsMonitor({
      db: services.db,
      logger: context.logger,
      thresholds: services.config.ops.alerts,
    });
    return { ...(typeof result === 'object' && result !== null ? result : { result }), ops };
  };
}
