import type { Queryable } from '../../db/database.ts';

export type LogDecision =
  | 'scheduled'
  | 'skipped'
  | 'failed'
  | 'updated'
  | 'cancelled'
  | 'linked'
  | 'not_sent'
  | 'left_alone';

export interface SchedulingLog {
  userId: string;
  meetingId: string | null;
  meetingBotId: string | null;
  decision: LogDecision;
  reason: string | null;
  details: Record<string, unknown>;
}

/**
 * Appends scheduling decisions. The table is written by the service only (users read their own rows), so this
 * runs in a service transaction with the user id the caller verified.
 */
export async function insertSchedulingLogs(tx: Queryable, logs: SchedulingLog[]): Promise<void> {
  if (logs.length === 0) return;
  await tx.query(
    `insert into public.bot_scheduling_logs (user_id, meeting_id, meeting_bot_id, decision, reason, details)
     select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::jsonb[])`,
    [
      logs.map((log) => log.userId),
      logs.map((log) => log.meetingId),
      logs.map((log) => log.meetingBotId),
      logs.map((log) => log.decision),
      logs.map((log) => log.reason),
      logs.map((log) => JSON.stringify(log.details)),
    ],
  );
}

export interface StoredLog {
  meetingId: string | null;
  meetingBotId: string | null;
  decision: LogDecision;
  reason: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

interface LogRow {
  meeting_id: string | null;
  meeting_bot_id: string | null;
  decision: LogDecision;
  reason: string | null;
  details: Record<string, unknown>;
  created_at: Date;
}

/** The caller's latest scheduling decisions (RLS scopes them). */
export async function recentSchedulingLogs(tx: Queryable, limit: number): Promise<StoredLog[]> {
  const { rows } = await tx.query<LogRow>(
    `select meeting_id, meeting_bot_id, decision, reason, details, created_at
       from public.bot_scheduling_logs order by created_at desc, id limit $1`,
    [limit],
  );
  return rows.map((row: LogRow) => ({
    meetingId: row.meeting_id,
    meetingBotId: row.meeting_bot_id,
    decision: row.decision,
    reason: row.reason,
    details: row.details,
    createdAt: row.created_at,
  }));
}
