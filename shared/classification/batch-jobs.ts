// The background work of classification: single documents on `ai.classify_document_enhanced`, and batches on
// `ai.process_classification_batch`. A batch job without a range starts the batch and enqueues one chunk job per
// `chunkSize` pending items, in the transaction that starts it; a chunk job classifies the pending items of its
// range. Both are idempotent: starting is a compare-and-set from `queued`, and each item is settled (and counted)
// only from `pending`, so a job delivered twice, or again after its worker died mid-chunk, redoes only the items
// nobody settled. Every job runs with the worker's connection but as the user in its payload, under RLS.
import { z } from 'zod';
import { AiError } from '../ai/errors.ts';
import { sleep } from '../ai/openai/retry.ts';
import { backgroundPatienceMs } from '../ai/pipeline.ts';
import { userClaims } from '../auth/claims.ts';
import { rethrowForRetry } from '../http/retry.ts';
import { defineJob } from '../jobs/contract.ts';
import { QUEUES } from '../jobs/queues.ts';
import type { JobRegistry } from '../jobs/registry.ts';
import type { AppServices } from '../services.ts';
import { type EnhancedRequest, EnhancedRequestSchema } from './api-schemas.ts';
import { type BatchJob, batchJob } from './batch-contract.ts';
import { type BatchSettings, pendingItems, type Settlement, settleItem, startBatch } from './batch-store.ts';
import { type CascadeContext, CascadeError, runCascade, totalCost } from './cascade.ts';
import { type ClassificationDeps, createClassificationDeps } from './deps.ts';
import { classifyEnhanced } from './enhanced-service.ts';

/** How long one item may keep waiting for the rate limiter before it is recorded as failed (and retryable). */
const MAX_RATE_LIMIT_PATIENCE_MS = backgroundPatienceMs(
  QUEUES['ai.process_classification_batch'].expireInSeconds,
);

/** The same for a single document's job. */
const DOCUMENT_PATIENCE_MS = backgroundPatienceMs(QUEUES['ai.classify_document_enhanced'].expireInSeconds);

/** Chunk jobs one worker runs at once; how fast their items reach the provider is the rate limiter's call. */
const BATCH_JOB_CONCURRENCY = 8;

/** The priority of chunk jobs: under the default 0 of a batch's first job, so new batches start first. */
const CHUNK_PRIORITY = -1;

/** Consecutive runs of at most `size` indexes, as inclusive [from, to] ranges. */
function chunkRanges(indexes: number[], size: number): { from: number; to: number }[] {
  const ranges: { from: number; to: number }[] = [];
  for (let start = 0; start < indexes.length; start += size) {
    const part = indexes.slice(start, start + size);
    ranges.push({ from: part[0]!, to: part[part.length - 1]! });
  }
  return ranges;
}

/** Starts a queued batch and enqueues its chunk jobs, atomically; a no-op when it already started. */
async function splitBatch(deps: ClassificationDeps, job: BatchJob): Promise<{ chunks: number }> {
  // A batch's status and counters are the service's to write: the job (our own payload) works as service_role.
  return deps.db.asService(async (tx) => {
    const pending = await startBatch(tx, job.batchId, job.userId);
    if (!pending) return { chunks: 0 };
    const ranges = chunkRanges(pending, deps.chunkSize);
    for (const range of ranges) {
      // Below the default priority: a batch submitted later starts before this one's remaining chunks.
      await deps.jobs.send(
        batchJob,
        { batchId: job.batchId, userId: job.userId, ...range },
        { tx, priority: CHUNK_PRIORITY },
      );
    }
    return { chunks: ranges.length };
  });
}

/**
 * Classifies one item. The pace toward the provider is the shared rate limiter's: when it (or the provider)
 * says wait, the AI service waits as told and asks again (a retry on the call's log row, not an error), up to
 * `MAX_RATE_LIMIT_PATIENCE_MS`; any other failure settles the item as failed, with the trace of what ran. A
 * stopped attempt (worker shutdown, job expiry) throws, leaving the item pending for the job's next delivery.
 */
async function classifyItem(
  deps: ClassificationDeps,
  context: CascadeContext,
  request: BatchSettings,
  text: string,
): Promise<Settlement> {
  const { signal } = context;
  const deadline = Date.now() + MAX_RATE_LIMIT_PATIENCE_MS;
  let spent = 0;
  for (;;) {
    try {
      const result = await runCascade(deps.ai, context, text, request.categories, request.stages);
      return { status: 'completed', result: { ...result, costUsd: result.costUsd + spent } };
    } catch (error) {
      signal?.throwIfAborted();
      if (!(error instanceof CascadeError)) throw error;
      const trace = error.trace.filter(Boolean);
      spent += totalCost(trace);
      const cause = error.cause;
      // Aborted, but not by this attempt: the AI service shares one in-flight call between identical requests,
      // so an earlier attempt's abort (its job expired) can reach this one. Nothing was wrong with the item.
      if (cause instanceof AiError && cause.reason === 'aborted' && Date.now() < deadline) {
        await sleep(100, signal);
        continue;
      }
      return { status: 'failed', error: error.message, trace, costUsd: spent };
    }
  }
}

/**
 * Items of one chunk classified at once. With `BATCH_JOB_CONCURRENCY` chunks that is 40 per worker (the
 * provider slots a process has at 600 requests a minute, AI_MAX_CONCURRENCY's default), and as many across
 * the drains that share the queue; the pace toward the provider is the rate limiter's either way.
 */
export const CHUNK_ITEM_CONCURRENCY = 5;

/**
 * Classifies the still-pending items of a chunk, `CHUNK_ITEM_CONCURRENCY` at a time, settling each as soon as
 * it is known. Asked to wrap up (a drain at its budget), it starts no new item, lets those under way finish
 * (their answers are paid for) and sends the items it did not start as a chunk job of their own, ready at once:
 * the job completes, and the rest waits for no retry delay. Settling only from `pending` keeps every item
 * settled once, whoever runs it.
 */
async function processChunk(
  deps: ClassificationDeps,
  job: BatchJob & { from: number; to: number },
  signal: AbortSignal | undefined,
  wrapUp: AbortSignal | undefined,
): Promise<{ settled: number; skipped: number; handedOn: number }> {
  const actor = userClaims(job.userId);
  const work = await deps.db.asUser(actor, (tx) => pendingItems(tx, job.batchId, job.from, job.to), {
    readOnly: true,
  });
  if (!work) return { settled: 0, skipped: 0, handedOn: 0 };
  const waiting = [...work.items];
  let settled = 0;
  let skipped = 0;
  const lane = async () => {
    for (let item = waiting.shift(); item; item = waiting.shift()) {
      // The request id ties the item's provider calls in ai_processing_logs to it.
      const context = {
        userId: job.userId,
        requestId: `batch:${job.batchId}:${item.index}`,
        signal,
        rateLimitPatienceMs: MAX_RATE_LIMIT_PATIENCE_MS,
      };
      const settlement = await classifyItem(deps, context, work.request, item.text);
      const index = item.index;
      const done = await deps.db.asService((tx) =>
        settleItem(tx, job.batchId, index, settlement, job.userId),
      );
      if (done) settled++;
      else skipped++;
      if (wrapUp?.aborted) return;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CHUNK_ITEM_CONCURRENCY, waiting.length) }, lane));
  const rest = waiting[0];
  if (rest) {
    // Sent before this job completes: if the send fails, the job is retried and the items stay pending.
    await deps.jobs.send(
      batchJob,
      { batchId: job.batchId, userId: job.userId, from: rest.index, to: job.to },
      { priority: CHUNK_PRIORITY },
    );
  }
  return { settled, skipped, handedOn: waiting.length };
}

/** `ai.process_classification_batch`: splits a batch (no range) or processes one chunk (a range). */
export async function runBatchJob(
  deps: ClassificationDeps,
  job: BatchJob,
  signal?: AbortSignal,
  wrapUp?: AbortSignal,
) {
  if (job.from === undefined || job.to === undefined) return splitBatch(deps, job);
  return processChunk(deps, { ...job, from: job.from, to: job.to }, signal, wrapUp);
}

/**
 * `ai.classify_document_enhanced`: one text or document of the user through the cascade, stored in
 * classification_results exactly as `POST /classification/enhanced` would (read and written as the user). A
 * request the user could not make (no such document or workflow, empty text) or a used-up budget goes to the
 * dead letter at once; provider rate limits and outages are retried. The result is stored under the job's id,
 * so a job delivered again returns the stored result without calling the provider; only a crash between the
 * provider call and the write pays for the call twice (and still stores one result).
 */
const classifyDocumentJob = defineJob(
  'ai.classify_document_enhanced',
  z.object({ userId: z.string().uuid(), request: EnhancedRequestSchema }),
);

function runClassifyDocumentJob(
  deps: ClassificationDeps,
  job: { userId: string; request: EnhancedRequest },
  context: { id: string },
) {
  // The result's id is the job's: a delivery after a crash finds what the first one stored.
  return classifyEnhanced(deps, userClaims(job.userId), job.request, `job:${context.id}`, {
    resultId: context.id,
    rateLimitPatienceMs: DOCUMENT_PATIENCE_MS,
  }).catch(rethrowForRetry);
}

/** Registers the handlers of the classification queues with a job registry. */
function registerClassificationJobs(registry: JobRegistry, deps: ClassificationDeps): void {
  registry.register(batchJob, (job, context) => runBatchJob(deps, job, context.signal, context.wrapUp), {
    concurrency: BATCH_JOB_CONCURRENCY,
  });
  registry.register(classifyDocumentJob, (job, context) => runClassifyDocumentJob(deps, job, context), {
    concurrency: 5,
  });
}

/** For `registerJobHandlers`: the classification queues' handlers, over the process's services. */
export function registerClassificationJobHandlers(services: AppServices): void {
  // On the background-work pool, whoever registers them.
  registerClassificationJobs(services.jobs.registry, createClassificationDeps(services.work));
}
