// Batch classification as the signed-in user: submit (batch, items and first job in one transaction), read
// progress and results, retry failed items. The work itself is done by the jobs in batch-jobs.ts.
import type { UserClaims } from '../auth/claims.ts';
import { badRequest, conflict, notFound } from '../http/errors.ts';
import type { BatchRequest } from './api-schemas.ts';
import { batchJob } from './batch-contract.ts';
import {
  type Batch,
  type BatchSummary,
  findBatch,
  insertBatch,
  listBatchResults,
  type NewItem,
  requeueFailedItems,
  summarizeBatch,
} from './batch-store.ts';
import type { ClassificationDeps } from './deps.ts';
import { resolveProfile } from './profile-service.ts';
import { profiles } from './profile-store.ts';
import { documentTexts, type ResultView } from './result-store.ts';

const listed = (indexes: number[]) =>
  `${indexes.slice(0, 10).join(', ')}${indexes.length > 10 ? ` and ${indexes.length - 10} more` : ''}`;

/** Resolves each document's text; 400 naming the items whose document is missing or empty. */
async function itemsOf(tx: Parameters<typeof documentTexts>[0], request: BatchRequest): Promise<NewItem[]> {
  const ids = [...new Set(request.documents.flatMap((doc) => (doc.documentId ? [doc.documentId] : [])))];
  const texts = await documentTexts(tx, ids);
  const missing: number[] = [];
  const empty: number[] = [];
  const items = request.documents.map((doc, index) => {
    const text = doc.documentId ? texts.get(doc.documentId) : doc.text;
    if (text === undefined) missing.push(index);
    else if (!text.trim()) empty.push(index);
    return { text: text ?? '', documentId: doc.documentId ?? null, key: doc.key ?? null };
  });
  if (missing.length) throw badRequest(`documents ${listed(missing)}: no such document of yours`);
  if (empty.length) throw badRequest(`documents ${listed(empty)}: the document is empty`);
  return items;
}

/** Stores a queued batch with all its items and enqueues its first job, atomically; answers at once. */
export async function submitBatch(
  deps: ClassificationDeps,
  user: UserClaims,
  request: BatchRequest,
): Promise<Batch> {
  // What the batch classifies is read under RLS (the caller's profile and documents); the batch and its items
  // are the service's to write (users read and delete them), stored with their job in one transaction.
  const read = await deps.db.asUser(
    user,
    async (tx) => {
      const definition = await resolveProfile(tx, request);
      const items = await itemsOf(tx, request);
      const workflow = definition.workflowId ? await profiles.find(tx, definition.workflowId) : undefined;
      return { definition, items, workflow };
    },
    { readOnly: true },
  );
  const { definition, items, workflow } = read;
  return deps.db.asService(async (tx) => {
    const batch = await insertBatch(tx, {
      userId: user.sub,
      workflowId: definition.workflowId,
      request: {
        categories: definition.categories,
        stages: definition.stages,
        ...(workflow ? { workflowVersion: workflow.version } : {}),
      },
      items,
    });
    await deps.jobs.send(batchJob, { batchId: batch.id, userId: user.sub }, { tx });
    return batch;
  });
}

export interface BatchReport extends Batch {
  summary: BatchSummary;
  results: { items: ResultView[]; limit: number; offset: number };
}

/** A batch of the caller's with a page of its results and its summary (final, or so far while it runs). */
export async function getBatch(
  deps: ClassificationDeps,
  user: UserClaims,
  id: string,
  page: { limit: number; offset: number; status?: ResultView['status'] },
): Promise<BatchReport> {
  return deps.db.asUser(
    user,
    async (tx) => {
      const batch = await findBatch(tx, id);
      if (!batch) throw notFound('Classification batch');
      const items = await listBatchResults(tx, id, page);
      const summary = batch.summary ?? (await summarizeBatch(tx, id));
      return { ...batch, summary, results: { items, limit: page.limit, offset: page.offset } };
    },
    { readOnly: true },
  );
}

/** Queues a finished batch's failed items again (one transaction with the job); 409 when there is nothing to retry. */
export async function retryBatch(
  deps: ClassificationDeps,
  user: UserClaims,
  id: string,
): Promise<{ batch: Batch; retried: number }> {
  // The caller's batch (found under RLS) is requeued by the service role, which alone writes statuses and counters.
  const own = await deps.db.asUser(user, (tx) => findBatch(tx, id), { readOnly: true });
  if (!own) throw notFound('Classification batch');
  return deps.db.asService(async (tx) => {
    const retried = await requeueFailedItems(tx, id);
    const batch = await findBatch(tx, id);
    if (!batch) throw notFound('Classification batch');
    if (retried === undefined) {
      const why =
        batch.counts.failed === 0
          ? 'it has no failed items'
          : `it is ${batch.status}; wait until it finishes`;
      throw conflict(`The batch cannot be retried: ${why}`);
    }
    await deps.jobs.send(batchJob, { batchId: batch.id, userId: user.sub }, { tx });
    return { batch, retried };
  });
}
