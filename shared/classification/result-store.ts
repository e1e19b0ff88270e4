// Data layer of classification_results: single classifications and batch items alike. Runs under RLS.
import type { Queryable } from '../db/database.ts';
import type { EnhancedResult, Entity, Ranked, Sentiment, TraceEntry } from './types.ts';

/** A stored classification, as the API shows it. */
export interface ResultView {
  id: string;
  batchId: string | null;
  itemIndex: number | null;
  itemKey: string | null;
  documentId: string | null;
  status: 'pending' | 'completed' | 'failed';
  category: string | null;
  confidence: number | null;
  alternatives: Ranked[];
  sentiment: Sentiment | null;
  entities: Entity[];
  trace: TraceEntry[];
  error: string | null;
  attempts: number;
  costUsd: number;
  createdAt: string;
  updatedAt: string;
}

export const RESULT_COLUMNS = `id, batch_id, item_index, item_key, document_id, status, category, confidence,
  alternatives, sentiment, entities, trace, error, attempts, cost_usd, created_at, updated_at`;

export interface ResultRow {
  id: string;
  batch_id: string | null;
  item_index: number | null;
  item_key: string | null;
  document_id: string | null;
  status: ResultView['status'];
  category: string | null;
  confidence: string | null;
  alternatives: Ranked[];
  sentiment: Sentiment | null;
  entities: Entity[];
  trace: TraceEntry[];
  error: string | null;
  attempts: number;
  cost_usd: string;
  created_at: Date;
  updated_at: Date;
}

/** Maps a row (numerics arrive as strings) to the API's shape. */
export const toResult = (row: ResultRow): ResultView => ({
  id: row.id,
  batchId: row.batch_id,
  itemIndex: row.item_index,
  itemKey: row.item_key,
  documentId: row.document_id,
  status: row.status,
  category: row.category,
  confidence: row.confidence === null ? null : Number(row.confidence),
  alternatives: row.alternatives,
  sentiment: row.sentiment,
  entities: row.entities,
  trace: row.trace,
  error: row.error,
  attempts: row.attempts,
  costUsd: Number(row.cost_usd),
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** The text of one of the caller's documents, or undefined when they have none with that id. */
export async function documentText(tx: Queryable, id: string): Promise<string | undefined> {
  const { rows } = await tx.query<{ content: string }>('select content from documents where id = $1', [id]);
  return rows[0]?.content;
}

/** The texts of the caller's documents among `ids`, by id (ids that are not theirs are missing). */
export async function documentTexts(tx: Queryable, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await tx.query<{ id: string; content: string }>(
    'select id, content from documents where id = any($1::uuid[])',
    [ids],
  );
  return new Map(rows.map((row: { id: string; content: string }) => [row.id, row.content]));
}

/** Stores a single (non-batch) classification, completed or failed, for `userId` (as the service role). */
export async function insertSingleResult(
  tx: Queryable,
  input: {
    userId: string;
    documentId: string | null;
    result?: EnhancedResult;
    trace: TraceEntry[];
    error?: string;
    /** A fixed id (a job's), so storing the same result twice keeps the first. */
    id?: string;
  },
): Promise<ResultView> {
  const { result } = input;
  const { rows } = await tx.query<ResultRow>(
    `insert into classification_results
       (id, user_id, document_id, status, category, confidence, alternatives, sentiment, entities, trace, error,
        attempts, cost_usd)
     values (coalesce($11::uuid, gen_random_uuid()), $12, $1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb,
             $8::jsonb, $9, 1, $10)
     on conflict (id) do nothing
     returning ${RESULT_COLUMNS}`,
    [
      input.documentId,
      result ? 'completed' : 'failed',
      result?.category ?? null,
      result ? result.confidence : null,
      JSON.stringify(result?.alternatives ?? []),
      result?.sentiment ? JSON.stringify(result.sentiment) : null,
      JSON.stringify(result?.entities ?? []),
      JSON.stringify(input.trace),
      input.error ?? null,
      result?.costUsd ?? input.trace.reduce((sum, step) => sum + (step?.costUsd ?? 0), 0),
      input.id ?? null,
      input.userId,
    ],
  );
  if (rows[0]) return toResult(rows[0]);
  const stored = input.id ? await findSingleResult(tx, input.id, input.userId) : undefined;
  if (!stored) throw new Error('the classification result id is taken by another user');
  return stored;
}

/** One of the caller's results by id (under RLS; `ownerId` when the service role asks for a user), or undefined. */
export async function findSingleResult(
  tx: Queryable,
  id: string,
  ownerId?: string,
): Promise<ResultView | undefined> {
  const { rows } = await tx.query<ResultRow>(
    `select ${RESULT_COLUMNS} from classification_results where id = $1 and ($2::uuid is null or user_id = $2)`,
    [id, ownerId ?? null],
  );
  return rows[0] ? toResult(rows[0]) : undefined;
}
