// Threshold checks of ai.monitor_ai_processing: error rate, p95 latency and daily cost per user (their
// user_ai_settings.alert_thresholds over the deployment's defaults), and the age of each queue's oldest job.
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import type { Logger } from '../http/logger.ts';
import { type QueueHealth, readQueueHealth } from '../jobs/health.ts';
import {
  type AlertDraft,
  type CallStats,
  insertAlerts,
  readCallStats,
  readSpendToday,
  type UserSpend,
} from './alerts-store.ts';
import type { AlertThresholds } from './config.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// A user's overrides; a value of the wrong type or range is ignored (the default applies), never fatal.
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const UserThresholdsSchema = z
  .object({
    error_rate: lenient(z.number().min(0).max(1)),
    p95_latency_ms: lenient(z.number().positive()),
    daily_cost_usd: lenient(z.number().min(0)),
    min_calls: lenient(z.number().int().min(1)),
  })
  .catch({});

/** The thresholds for one user: theirs where set and valid, the deployment's otherwise. */
export function thresholdsFor(defaults: AlertThresholds, userSettings: unknown): AlertThresholds {
  const own = UserThresholdsSchema.parse(userSettings ?? {});
  return {
    ...defaults,
    errorRate: own.error_rate ?? defaults.errorRate,
    p95LatencyMs: own.p95_latency_ms ?? defaults.p95LatencyMs,
    dailyCostUsd: own.daily_cost_usd ?? defaults.dailyCostUsd,
    minCalls: own.min_calls ?? defaults.minCalls,
  };
}

const startOf = (now: Date, unit: number) => new Date(Math.floor(now.getTime() / unit) * unit);

/** Alerts of the last hour's calls: error rate and p95 latency per user, operation and provider. */
export function evaluateCallAlerts(stats: CallStats[], defaults: AlertThresholds, now: Date): AlertDraft[] {
  const alerts: AlertDraft[] = [];
  const periodStart = startOf(now, HOUR);
  for (const s of stats) {
    const t = thresholdsFor(defaults, s.thresholds);
    if (s.calls < t.minCalls) continue;
    const subject = `${s.operation}/${s.provider}`;
    const details = { calls: s.calls, errors: s.errors, windowMinutes: 60 };
    const errorRate = s.errors / s.calls;
    if (errorRate > t.errorRate) {
      alerts.push({
        userId: s.userId,
        kind: 'error_rate',
        subject,
        value: errorRate,
        threshold: t.errorRate,
        periodStart,
        details,
      });
    }
    if (s.p95LatencyMs !== null && s.p95LatencyMs > t.p95LatencyMs) {
      alerts.push({
        userId: s.userId,
        kind: 'p95_latency',
        subject,
        value: s.p95LatencyMs,
        threshold: t.p95LatencyMs,
        periodStart,
        details,
      });
    }
  }
  return alerts;
}

/** Alerts of today's spend: one per user and UTC day once it passes their daily cost threshold. */
export function evaluateSpendAlerts(spend: UserSpend[], defaults: AlertThresholds, now: Date): AlertDraft[] {
  return spend.flatMap((s) => {
    const threshold = thresholdsFor(defaults, s.thresholds).dailyCostUsd;
    if (s.spentUsd <= threshold) return [];
    return [
      {
        userId: s.userId,
        kind: 'daily_cost' as const,
        subject: 'all',
        value: s.spentUsd,
        threshold,
        periodStart: startOf(now, DAY),
        details: {},
      },
    ];
  });
}

/** Deployment-wide alerts: a queue whose oldest due job has waited too long (one per queue and hour). */
export function evaluateQueueAlerts(
  health: QueueHealth[],
  defaults: AlertThresholds,
  now: Date,
): AlertDraft[] {
  return health
    .filter((q) => q.oldestReadySeconds > defaults.queueAgeSeconds)
    .map((q) => ({
      userId: null,
      kind: 'queue_age' as const,
      subject: q.queue,
      value: q.oldestReadySeconds,
      threshold: defaults.queueAgeSeconds,
      periodStart: startOf(now, HOUR),
      details: { ready: q.ready, queued: q.queued },
    }));
}

export interface AlertCheckResult {
  checked: { callGroups: number; spenders: number; queues: number };
  raised: AlertDraft[];
}

/**
 * Checks every threshold and records the alerts not yet recorded for their subject and period (so a repeated
 * run raises nothing twice), logging each new one. Runs as the service role: it spans every user.
 */
export async function checkAlertThresholds(
  deps: { db: Database; logger: Logger; thresholds: AlertThresholds },
  now: Date = new Date(),
): Promise<AlertCheckResult> {
  const { db, logger, thresholds } = deps;
  const raised = await db.asService(async (tx) => {
    const stats = await readCallStats(tx, new Date(now.getTime() - HOUR));
    const spend = await readSpendToday(tx);
    const queues = await readQueueHealth(tx);
    const drafts = [
      ...evaluateCallAlerts(stats, thresholds, now),
      ...evaluateSpendAlerts(spend, thresholds, now),
      ...evaluateQueueAlerts(queues, thresholds, now),
    ];
    return {
      checked: { callGroups: stats.length, spenders: spend.length, queues: queues.length },
      raised: await insertAlerts(tx, drafts),
    };
  });
  for (const alert of raised.raised) {
    logger.warn('ai alert', {
      kind: alert.kind,
      subject: alert.subject,
      user: alert.userId,
      value: alert.value,
      threshold: alert.threshold,
    });
  }
  return raised;
}
