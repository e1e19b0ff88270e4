// The data layer of alerts: the statistics thresholds are checked against, and the ai_alerts table.
import type { Queryable } from '../db/database.ts';
import type { Alert } from './schemas.ts';

/** One user's calls of one operation and provider in the checked window. */
export interface CallStats {
  userId: string;
  operation: string;
  provider: string;
  calls: number;
  errors: number;
  p95LatencyMs: number | null;
  /** The user's `user_ai_settings.alert_thresholds`, unparsed. */
  thresholds: unknown;
}

/** Per user, operation and provider since `since` (raw rows: the window is the last hour). */
export async function readCallStats(tx: Queryable, since: Date): Promise<CallStats[]> {
  const { rows } = await tx.query<{
    user_id: string;
    operation: string;
    provider: string;
    calls: string;
    errors: string;
    p95: number | null;
    thresholds: unknown;
  }>(
    `select l.user_id, l.operation, l.provider, count(*) as calls,
            count(*) filter (where l.status = 'error') as errors,
            percentile_cont(0.95) within group (order by l.latency_ms) as p95,
            (select s.alert_thresholds from public.user_ai_settings s where s.user_id = l.user_id) as thresholds
     from public.ai_processing_logs l
     where l.created_at >= $1 and l.user_id is not null
     group by l.user_id, l.operation, l.provider`,
    [since],
  );
  return rows.map((row) => ({
    userId: row.user_id,
    operation: row.operation,
    provider: row.provider,
    calls: Number(row.calls),
    errors: Number(row.errors),
    p95LatencyMs: row.p95,
    thresholds: row.thresholds,
  }));
}

export interface UserSpend {
  userId: string;
  spentUsd: number;
  thresholds: unknown;
}

/** Every user's AI spend since 00:00 UTC (the rollup's hours of today plus the raw rows after its watermark). */
export async function readSpendToday(tx: Queryable): Promise<UserSpend[]> {
  const { rows } = await tx.query<{ user_id: string; spent: string; thresholds: unknown }>(
    `with m as (
       select coalesce((select rolled_up_to from app_private.ai_metrics_rollup_state), '-infinity') as mark,
              date_trunc('day', now(), 'UTC') as day
     ),
     spend as (
       select r.user_id, r.cost_usd from public.ai_metrics_rollup r, m
       where r.bucket_start >= m.day and r.bucket_start < m.mark and r.user_id is not null
       union all
       select l.user_id, l.cost_usd from public.ai_processing_logs l, m
       where l.created_at >= greatest(m.day, m.mark) and l.user_id is not null
     )
     select s.user_id, sum(s.cost_usd) as spent,
            (select u.alert_thresholds from public.user_ai_settings u where u.user_id = s.user_id) as thresholds
     from spend s group by s.user_id having sum(s.cost_usd) > 0`,
  );
  return rows.map((row) => ({
    userId: row.user_id,
    spentUsd: Number(row.spent),
    thresholds: row.thresholds,
  }));
}

/** An alert to record; `userId` null for deployment-wide ones. */
export interface AlertDraft {
  userId: string | null;
  kind: Alert['kind'];
  subject: string;
  value: number;
  threshold: number;
  periodStart: Date;
  details: Record<string, unknown>;
}

const alertKey = (userId: string | null, kind: string, subject: string, periodStart: Date) =>
  `${userId ?? ''}|${kind}|${subject}|${periodStart.toISOString()}`;

/** Records alerts not yet recorded for their subject and period; returns those that are new. */
export async function insertAlerts(tx: Queryable, drafts: AlertDraft[]): Promise<AlertDraft[]> {
  if (drafts.length === 0) return [];
  const { rows } = await tx.query<{
    user_id: string | null;
    kind: string;
    subject: string;
    period_start: Date;
  }>(
    `insert into public.ai_alerts (user_id, kind, subject, value, threshold, period_start, details)
     select d.user_id, d.kind, d.subject, d.value, d.threshold, d.period_start, d.details
     from jsonb_to_recordset($1::jsonb) as d (
       user_id uuid, kind text, subject text, value double precision, threshold double precision,
       period_start timestamptz, details jsonb
     )
     on conflict on constraint ai_alerts_once_per_period do nothing
     returning user_id, kind, subject, period_start`,
    [
      JSON.stringify(
        drafts.map((d) => ({
          user_id: d.userId,
          kind: d.kind,
          subject: d.subject,
          value: d.value,
          threshold: d.threshold,
          period_start: d.periodStart.toISOString(),
          details: d.details,
        })),
      ),
    ],
  );
  const inserted = new Set(rows.map((row) => alertKey(row.user_id, row.kind, row.subject, row.period_start)));
  return drafts.filter((d) => inserted.has(alertKey(d.userId, d.kind, d.subject, d.periodStart)));
}

interface AlertRow {
  id: string;
  kind: Alert['kind'];
  subject: string;
  value: number;
  threshold: number;
  period_start: Date;
  details: Record<string, unknown>;
  created_at: Date;
}

/** The caller's alerts, newest first (run as the user: RLS keeps it to their own). */
export async function listAlerts(tx: Queryable, options: { limit: number; before?: Date }): Promise<Alert[]> {
  const { rows } = await tx.query<AlertRow>(
    `select id, kind, subject, value, threshold, period_start, details, created_at
     from public.ai_alerts
     where user_id = (select auth.uid()) and ($2::timestamptz is null or created_at < $2)
     order by created_at desc, id
     limit $1`,
    [options.limit, options.before ?? null],
  );
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    value: row.value,
    threshold: row.threshold,
    periodStart: row.period_start.toISOString(),
    details: row.details,
    createdAt: row.created_at.toISOString(),
  }));
}
