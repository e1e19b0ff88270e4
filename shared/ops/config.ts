import { z } from 'zod';

// Supabase and shells hand unset values over as empty strings; treat them as unset.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const MIB = 1024 * 1024;

/** The environment variables of operations: limits, budgets, alert thresholds, retention (part of EnvSchema). */
export const OpsEnvSchema = z.object({
  USER_RATE_LIMIT_PER_MINUTE: optional(z.coerce.number().int().min(1).max(1_000_000_000)),
  AI_DAILY_COST_BUDGET_USD: optional(z.coerce.number().min(0)),
  AI_LOG_RETENTION_DAYS: optional(z.coerce.number().int().min(1).max(3650)),
  MAX_REQUEST_BODY_BYTES: optional(z.coerce.number().int().min(1024)),
  MAX_BATCH_BODY_BYTES: optional(z.coerce.number().int().min(1024)),
  AI_ALERT_ERROR_RATE: optional(z.coerce.number().min(0).max(1)),
  AI_ALERT_P95_LATENCY_MS: optional(z.coerce.number().int().min(1)),
  AI_ALERT_DAILY_COST_USD: optional(z.coerce.number().min(0)),
  AI_ALERT_QUEUE_AGE_SECONDS: optional(z.coerce.number().int().min(1)),
  AI_ALERT_MIN_CALLS: optional(z.coerce.number().int().min(1)),
});
export type OpsEnv = z.infer<typeof OpsEnvSchema>;

/** Alert thresholds; a user's `user_ai_settings.alert_thresholds` overrides the first three for their calls. */
export interface AlertThresholds {
  /** Share of failed calls of one operation and provider over the last hour (0..1). */
  errorRate: number;
  p95LatencyMs: number;
  dailyCostUsd: number;
  /** Fewer calls than this in the hour raise no error-rate or latency alert (too few to mean anything). */
  minCalls: number;
  /** How long the oldest due job of a queue may wait. */
  queueAgeSeconds: number;
}

export interface OpsConfig {
  /** Requests per user and minute on every endpoint; a user's own setting may only lower it. */
  userRateLimitPerMinute: number;
  /** AI spend per user and UTC day; a user's own setting may only lower it. */
  dailyCostBudgetUsd: number;
  logRetentionDays: number;
  maxBodyBytes: number;
  /** The limit of the routes that take many documents at once (`POST /classification/batch`). */
  maxBatchBodyBytes: number;
  alerts: AlertThresholds;
}

/** Operations settings from the environment, with the defaults the local stack runs on. */
export function opsConfigFrom(env: OpsEnv): OpsConfig {
  const dailyCostBudgetUsd = env.AI_DAILY_COST_BUDGET_USD ?? 5;
  return {
    userRateLimitPerMinute: env.USER_RATE_LIMIT_PER_MINUTE ?? 120,
    dailyCostBudgetUsd,
    logRetentionDays: env.AI_LOG_RETENTION_DAYS ?? 30,
    maxBodyBytes: env.MAX_REQUEST_BODY_BYTES ?? MIB,
    maxBatchBodyBytes: env.MAX_BATCH_BODY_BYTES ?? 16 * MIB,
    alerts: {
      errorRate: env.AI_ALERT_ERROR_RATE ?? 0.2,
      p95LatencyMs: env.AI_ALERT_P95_LATENCY_MS ?? 10_000,
      // Warn before the budget stops calls.
      dailyCostUsd: env.AI_ALERT_DAILY_COST_USD ?? dailyCostBudgetUsd * 0.8,
      minCalls: env.AI_ALERT_MIN_CALLS ?? 10,
      queueAgeSeconds: env.AI_ALERT_QUEUE_AGE_SECONDS ?? 300,
    },
  };
}
