// Data layer of classification_batches and their items (rows of classification_results keyed by
// (batch_id, item_index)). Every state change is a compare-and-set; counters move in the same statement as the
// item they count, so an item settled twice (a re-delivered job) is counted once.
import type { Queryable } from '../db/database.ts';
import type { ClassificationCategory, Stage } from './definition.ts';
import { RESULT_COLUMNS, type ResultRow, type ResultView, toResult } from './result-store.ts';
import type { EnhancedResult, TraceEntry } from './types.ts';

export const BATCH_STATUSES = [
  'queued',
  'running',
  'completed',
  'completed_with_errors',
  'failed',
  'cancelled',
] as const;
type BatchStatus = (typeof BATCH_STATUSES)[number];

/** What a batch classifies with, kept on the batch so retries classify the same way. */
export interface BatchSettings {
  categories: ClassificationCategory[];
  stages: Stage[];
  workflowVersion?: number;
}

export interface BatchSummary {
  categories: Record<string, number>;
  unclassified: number;
  meanConfidence: number | null;
  totalCostUsd: number;
}

export interface Batch {
  id: string;
  userId: string;
  workflowId: string | null;
  status: BatchStatus;
  counts: { total: number; done: number; failed: number; pending: number };
  request: BatchSettings;
  summary: BatchSummary | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

const COLUMNS = `id, user_id, workflow_id, status, total_items, done_items, failed_items, request, summary,
  created_at, updated_at, completed_at`;

interface Row {
  id: string;
  user_id: string;
  workflow_id: string | null;
  status: BatchStatus;
  total_items: number;
  done_items: number;
  failed_items: number;
  request: BatchSettings;
  summary: BatchSummary | null;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

const toBatch = (row: Row): Batch => ({
  id: row.id,
  userId: row.user_id,
  workflowId: row.workflow_id,
  status: row.status,
  counts: {
    total: row.total_items,
    done: row.done_items,
    failed: row.failed_items,
    pending: row.total_items - row.done_items - row.failed_items,
  },
  request: row.request,
  summary: row.summary,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  completedAt: row.completed_at?.toISOString() ?? null,
});

export interface NewItem {
  text: string;
  documentId: string | null;
  key: string | null;
}

/** Inserts a queued batch and all its items as `pending`, for `userId` (as the service role). */
export async function insertBatch(
  tx: Queryable,
  input: { userId: string; workflowId: string | null; request: BatchSettings; items: NewItem[] },
): Promise<Batch> {
  const { rows } = await tx.query<Row>(
    `insert into classification_batches (user_id, workflow_id, total_items, request)
     values ($4, $1, $2, $3::jsonb) returning ${COLUMNS}`,
    [input.workflowId, input.items.length, JSON.stringify(input.request), input.userId],
  );
  const batch = toBatch(rows[0]!);
  await tx.query(
    `insert into classification_results (user_id, batch_id, item_index, document_id, item_key, input_text)
     select $5, $1, item.ordinality - 1, item.document_id, item.item_key, item.input_text
       from unnest($2::uuid[], $3::text[], $4::text[]) with ordinality
            as item (document_id, item_key, input_text, ordinality)`,
    [
      batch.id,
      input.items.map((item) => item.documentId),
      input.items.map((item) => item.key),
      input.items.map((item) => item.text),
      input.userId,
    ],
  );
  return batch;
}

/** One batch the caller can see, or undefined. */
export async function findBatch(tx: Queryable, id: string): Promise<Batch | undefined> {
  const { rows } = await tx.query<Row>(`select ${COLUMNS} from classification_batches where id = $1`, [id]);
  return rows[0] ? toBatch(rows[0]) : undefined;
}

/** A page of a batch's items in item order, optionally only those with one status. */
export async function listBatchResults(
  tx: Queryable,
  batchId: string,
  options: { limit: number; offset: number; status?: ResultView['status'] },
): Promise<ResultView[]> {
  const { rows } = await tx.query<ResultRow>(
    `select ${RESULT_COLUMNS} from classification_results
      where batch_id = $1 and ($4::text is null or status = $4)
      order by item_index limit $2 offset $3`,
    [batchId, options.limit, options.offset, options.status ?? null],
  );
  return rows.map(toResult);
}

/** Category counts, mean confidence of the classified items and total cost (failed attempts included). */
export async function summarizeBatch(tx: Queryable, batchId: string): Promise<BatchSummary> {
  const { rows } = await tx.query<{
    categories: Record<string, string> | null;
    unclassified: string;
    mean_confidence: string | null;
    total_cost: string;
  }>(
    `select (select jsonb_object_agg(category, n) from (
               select category, count(*) as n from classification_results
                where batch_id = $1 and status = 'completed' and category is not null
                group by category) as per) as categories,
            count(*) filter (where status = 'completed' and category is null) as unclassified,
            avg(confidence) filter (where status = 'completed' and category is not null) as mean_confidence,
            coalesce(sum(cost_usd), 0) as total_cost
       from classification_results where batch_id = $1`,
    [batchId],
  );
  const row = rows[0]!;
  return {
    categories: Object.fromEntries(
      Object.entries(row.categories ?? {}).map(([name, n]) => [name, Number(n)]),
    ),
    unclassified: Number(row.unclassified),
    meanConfidence: row.mean_confidence === null ? null : Math.round(Number(row.mean_confidence) * 1e4) / 1e4,
    totalCostUsd: Number(row.total_cost),
  };
}

/**
 * Starts a queued batch (compare-and-set `queued` -> `running`) and answers the indexes of its pending items,
 * or undefined when it was not queued (already started by an earlier delivery of the same job, or cancelled) or
 * is not `ownerId`'s (the service role acts for the job's user only).
 */
export async function startBatch(
  tx: Queryable,
  batchId: string,
  ownerId: string,
): Promise<number[] | undefined> {
  const { rowCount } = await tx.query(
    `update classification_batches set status = 'running' where id = $1 and user_id = $2 and status = 'queued'`,
    [batchId, ownerId],
  );
  if (!rowCount) return undefined;
  const { rows } = await tx.query<{ item_index: number }>(
    `select item_index from classification_results where batch_id = $1 and status = 'pending' order by item_index`,
    [batchId],
  );
  return rows.map((row: { item_index: number }) => row.item_index);
}

export interface PendingItem {
  index: number;
  text: string;
}

/** The batch's definition and its still-pending items in [from, to], when the batch is running. */
export async function pendingItems(
  tx: Queryable,
  batchId: string,
  from: number,
  to: number,
): Promise<{ request: BatchSettings; items: PendingItem[] } | undefined> {
  const batch = await tx.query<{ request: BatchSettings }>(
    `select request from classification_batches where id = $1 and status = 'running'`,
    [batchId],
  );
  if (!batch.rows[0]) return undefined;
  const { rows } = await tx.query<{ item_index: number; input_text: string | null }>(
    `select item_index, input_text from classification_results
      where batch_id = $1 and item_index between $2 and $3 and status = 'pending'
      order by item_index`,
    [batchId, from, to],
  );
  return {
    request: batch.rows[0].request,
    items: rows.map((row: { item_index: number; input_text: string | null }) => ({
      index: row.item_index,
      text: row.input_text ?? '',
    })),
  };
}

export type Settlement =
  | { status: 'completed'; result: EnhancedResult }
  | { status: 'failed'; error: string; trace: TraceEntry[]; costUsd: number };

/**
 * Settles one pending item and counts it, in one statement: the item moves only from `pending` (so a second
 * settlement of the same item changes nothing and counts nothing), and the batch's counter moves only if it did.
 * Then completes the batch when this was its last item. Answers whether this call settled the item.
 */
export async function settleItem(
  tx: Queryable,
  batchId: string,
  index: number,
  settlement: Settlement,
  ownerId: string,
): Promise<boolean> {
  const done = settlement.status === 'completed' ? settlement.result : undefined;
  const { rows } = await tx.query<{ total_items: number; done_items: number; failed_items: number }>(
    `with settled as (
       update classification_results
          set status = $3, category = $4, confidence = $5, alternatives = $6::jsonb, sentiment = $7::jsonb,
              entities = $8::jsonb, trace = $9::jsonb, error = $10, attempts = attempts + 1,
              cost_usd = cost_usd + $11,
              input_text = case when $3 = 'completed' then null else input_text end
        where batch_id = $1 and item_index = $2 and status = 'pending' and user_id = $12
        returning status
     )
     update classification_batches
        set done_items = done_items + (select count(*) from settled where status = 'completed'),
            failed_items = failed_items + (select count(*) from settled where status = 'failed')
      where id = $1 and exists (select from settled)
      returning total_items, done_items, failed_items`,
    [
      batchId,
      index,
      settlement.status,
      done?.category ?? null,
      done ? done.confidence : null,
      JSON.stringify(done?.alternatives ?? []),
      done?.sentiment ? JSON.stringify(done.sentiment) : null,
      JSON.stringify(done?.entities ?? []),
      JSON.stringify(done ? done.trace : settlement.status === 'failed' ? settlement.trace : []),
      settlement.status === 'failed' ? settlement.error.slice(0, 2000) : null,
      done ? done.costUsd : settlement.status === 'failed' ? settlement.costUsd : 0,
      ownerId,
    ],
  );
  const counts = rows[0];
  if (!counts) return false;
  if (counts.done_items + counts.failed_items === counts.total_items) await completeBatch(tx, batchId);
  return true;
}

/**
 * Finishes a running batch whose items are all settled (compare-and-set), with its summary: `completed`,
 * `completed_with_errors` when some failed, `failed` when all did.
 */
async function completeBatch(tx: Queryable, batchId: string): Promise<boolean> {
  const summary = await summarizeBatch(tx, batchId);
  const { rowCount } = await tx.query(
    `update classification_batches
        set status = case when done_items = 0 then 'failed'
                          when failed_items > 0 then 'completed_with_errors'
                          else 'completed' end,
            summary = $2::jsonb, completed_at = now()
      where id = $1 and status = 'running' and done_items + failed_items = total_items`,
    [batchId, JSON.stringify(summary)],
  );
  return Boolean(rowCount);
}

/**
 * Puts a finished batch's failed items back to `pending` and the batch back to `queued` (compare-and-set from
 * `completed_with_errors` or `failed`), moving them out of `failed_items`. Answers how many items were reset,
 * or undefined when the batch was not in a state to retry.
 */
export async function requeueFailedItems(tx: Queryable, batchId: string): Promise<number | undefined> {
  const { rows } = await tx.query<{ reset: string }>(
    `with batch as (
       select id from classification_batches
        where id = $1 and status in ('completed_with_errors', 'failed') and failed_items > 0
        for update
     ), reset as (
       update classification_results set status = 'pending'
        where batch_id = (select id from batch) and status = 'failed'
        returning 1
     )
     update classification_batches
        set status = 'queued', failed_items = failed_items - (select count(*) from reset),
            summary = null, completed_at = null
      where id = (select id from batch)
      returning (select count(*) from reset) as reset`,
    [batchId],
  );
  return rows[0] ? Number(rows[0].reset) : undefined;
}
