// One row per user in every table of public that has a user_id, for the data-rights tests. A table added later
// without a line here makes those tests fail, so its export and deletion get looked at.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';

/** Inserts one row of `userId` into every user-owned table; returns the ids it used. */
export async function seedEveryTable(db: pg.Client, userId: string): Promise<Record<string, string>> {
  const id = Object.fromEntries(
    [
      'documents',
      'meetings',
      'meeting_bots',
      'classification_workflows',
      'classification_batches',
      'classification_results',
      'document_workflows',
      'workflow_executions',
      'workflow_step_runs',
      'workflow_approvals',
      'notifications',
      'bot_scheduling_logs',
    ].map((table) => [table, randomUUID()]),
  );
  const q = (sql: string, values: unknown[]) => db.query(sql, values);
  await q(
    `insert into public.documents (id, user_id, title, content) values ($1, $2, 'Renewal', 'Acme renews.')`,
    [id.documents, userId],
  );
  await q(
    `insert into public.meetings (id, user_id, title, start_time, end_time, meeting_url)
     values ($1, $2, 'Renewal call', now() + interval '1 day', now() + interval '1 day 1 hour',
             'https://meet.google.com/abc-defg-hij')`,
    [id.meetings, userId],
  );
  await q(
    `insert into public.meeting_bots (id, user_id, meeting_id, state, join_at) values ($1, $2, $3, 'not_sent', now())`,
    [id.meeting_bots, userId, id.meetings],
  );
  await q('insert into public.user_ai_settings (user_id, daily_cost_budget_usd) values ($1, 5)', [userId]);
  await q('insert into public.user_bot_settings (user_id, auto_schedule) values ($1, true)', [userId]);
  await q(
    `insert into public.classification_workflows (id, user_id, name, categories)
     values ($1, $2, 'Triage', '[{"name": "billing"}]')`,
    [id.classification_workflows, userId],
  );
  await q(
    `insert into public.classification_batches (id, user_id, workflow_id, total_items) values ($1, $2, $3, 1)`,
    [id.classification_batches, userId, id.classification_workflows],
  );
  await q(
    `insert into public.classification_results (id, user_id, batch_id, document_id, item_index, status)
     values ($1, $2, $3, $4, 0, 'pending')`,
    [id.classification_results, userId, id.classification_batches, id.documents],
  );
  await q(
    `insert into public.document_workflows (id, user_id, name, steps)
     values ($1, $2, 'Review', '[{"id": "approve", "type": "approval"}]')`,
    [id.document_workflows, userId],
  );
  await q(
    `insert into public.workflow_executions (id, user_id, workflow_id, workflow_version, definition, document_id, status)
     values ($1, $2, $3, 1, '{"steps": [{"id": "approve", "type": "approval"}]}', $4, 'waiting_approval')`,
    [id.workflow_executions, userId, id.document_workflows, id.documents],
  );
  await q(
    `insert into public.workflow_step_runs (id, user_id, execution_id, step_id, step_type, status)
     values ($1, $2, $3, 'approve', 'approval', 'waiting')`,
    [id.workflow_step_runs, userId, id.workflow_executions],
  );
  await q(
    `insert into public.workflow_approvals (id, user_id, execution_id, step_id, approver_id, expires_at)
     values ($1, $2, $3, 'approve', $2, now() + interval '1 day')`,
    [id.workflow_approvals, userId, id.workflow_executions],
  );
  await q(
    `insert into public.notifications (id, user_id, kind, title) values ($1, $2, 'workflow.done', 'Done')`,
    [id.notifications, userId],
  );
  await q(
    `insert into public.ai_processing_logs (user_id, operation, provider, status, cost_usd)
     values ($1, 'classify', 'local', 'success', 0.25)`,
    [userId],
  );
  await q(
    `insert into public.bot_scheduling_logs (id, user_id, meeting_id, meeting_bot_id, decision, reason)
     values ($1, $2, $3, $4, 'scheduled', 'fixture')`,
    [id.bot_scheduling_logs, userId, id.meetings, id.meeting_bots],
  );
  await q(
    `insert into public.attendee_webhook_events (idempotency_key, attendee_bot_id, trigger, user_id, meeting_bot_id, payload)
     values ($1, 'bot_fixture', 'bot.state_change', $2, $3, '{}')`,
    [`fixture-${randomUUID()}`, userId, id.meeting_bots],
  );
  await q(
    `insert into public.ai_metrics_rollup (user_id, bucket_start, operation, provider, calls, errors, cached,
       tokens_in, tokens_out, cost_usd, latency_sum_ms, latency_count)
     values ($1, date_trunc('hour', now() - interval '1 day', 'UTC'), 'classify', 'local', 1, 0, 0, 0, 0, 0, 0, 0)`,
    [userId],
  );
  await q(
    `insert into public.ai_alerts (user_id, kind, subject, value, threshold, period_start)
     values ($1, 'daily_cost', 'all', 9, 4, date_trunc('day', now(), 'UTC'))`,
    [userId],
  );
  return id;
}

/** Every table in public with a user_id column. */
export async function ownedTables(db: pg.Client): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `select c.relname as name from pg_class c
     join pg_attribute a on a.attrelid = c.oid and a.attname = 'user_id' and not a.attisdropped
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') order by 1`,
  );
  return rows.map((row) => row.name);
}

/** How many rows `userId` owns in each table. */
export async function rowsOwned(db: pg.Client, userId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await ownedTables(db)) {
    const { rows } = await db.query(`select count(*)::int as n from public."${table}" where user_id = $1`, [
      userId,
    ]);
    counts[table] = rows[0].n;
  }
  return counts;
}
