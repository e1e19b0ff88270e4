import { setMaxListeners } from 'node:events';
import type { Job, PgBoss } from 'pg-boss';
import type { Logger } from '../http/logger.ts';
import { isNonRetriable } from '../http/retry.ts';
import { parsePayload } from './contract.ts';
import type { JobRegistry } from './registry.ts';
import { type Outcome, type Settlement, settleJobs } from './settle.ts';

export interface BatchResult {
  queue: string;
  completed: string[];
  failed: string[];
  deadLettered: string[];
}

export interface RunBatchOptions {
  logger: Logger;
  /** Stops every handler of the batch (worker shutdown, drain budget); they are failed and retried later. */
  signal?: AbortSignal;
  /** Asks the handlers to wrap up (JobContext.wrapUp): the caller takes no more work. */
  wrapUp?: AbortSignal;
}

/** Why an attempt was stopped, as its output records it. */
class AttemptAbortedError extends Error {
  constructor(reason: unknown) {
    super(`attempt stopped: ${reason instanceof Error ? reason.message : String(reason ?? 'aborted')}`);
    this.name = 'AttemptAbortedError';
  }
}

function errorOutput(error: unknown) {
  if (error instanceof Error) return { error: { name: error.name, message: error.message } };
  return { error: { name: 'Error', message: String(error) } };
}

// One abort for a whole batch, shared by its jobs (per-job signals and timers cost more than the no-op jobs of
// a busy queue): the batch stops at the earliest expiry among its jobs, or when the caller stops it.
function batchAbort(jobs: Array<Job<unknown>>, outer: AbortSignal | undefined) {
  const controller = new AbortController();
  // Every handler of the batch may listen to it.
  setMaxListeners(0, controller.signal);
  const expireSeconds = Math.min(...jobs.map((job) => job.expireInSeconds));
  const timer = setTimeout(() => controller.abort(new Error('job expired')), expireSeconds * 1000);
  const onOuter = () => controller.abort(outer?.reason);
  if (outer?.aborted) onOuter();
  else outer?.addEventListener('abort', onOuter, { once: true });
  // Rejects when the batch is stopped: an attempt whose handler ignores its signal must not hold up a drain's
  // budget or a worker's shutdown. It is failed and retried, which handlers allow because they are idempotent.
  const stopped = new Promise<never>((_, reject) => {
    const onAbort = () => reject(new AttemptAbortedError(controller.signal.reason));
    if (controller.signal.aborted) onAbort();
    else controller.signal.addEventListener('abort', onAbort, { once: true });
  });
  stopped.catch(() => {});
  return {
    signal: controller.signal,
    stopped,
    dispose() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
    },
  };
}

async function runOne(
  registry: JobRegistry,
  queue: string,
  job: Job<unknown>,
  batch: { signal: AbortSignal; stopped: Promise<never>; wrapUp?: AbortSignal },
  baseLogger: Logger,
): Promise<Settlement> {
  const settle = (outcome: Outcome, output: unknown): Settlement => ({
    id: job.id,
    retryCount: job.retryCount,
    outcome,
    output,
  });
  const entry = registry.get(queue);
  if (!entry)
    return settle('failed', errorOutput(new Error(`no handler for queue ${queue} in this process`)));
  let logger: Logger | undefined;
  const jobLogger = () =>
    (logger ??= baseLogger.child({ queue, jobId: job.id, attempt: job.retryCount + 1 }));
  try {
    const data = parsePayload(entry, job.data);
    const context = {
      id: job.id,
      queue,
      retryCount: job.retryCount,
      signal: batch.signal,
      wrapUp: batch.wrapUp,
      get logger() {
        return jobLogger();
      },
    };
    const output = await Promise.race([entry.handler(data, context), batch.stopped]);
    return settle('completed', output);
  } catch (error) {
    const deadLetter = isNonRetriable(error);
    jobLogger()[deadLetter ? 'error' : 'warn']('job attempt failed', {
      error: error instanceof Error ? error.message : String(error),
      deadLetter,
    });
    return settle(deadLetter ? 'deadLettered' : 'failed', errorOutput(error));
  }
}

/**
 * Keeps a batch's claims alive while it runs: pg-boss's own heartbeat (`touch`, fenced to the fetched
 * attempts) every half `heartbeatSeconds`, the cadence pg-boss's `work()` uses. A worker that dies stops
 * beating, and supervision (pg-boss's in a live worker, `app_private.supervise_jobs()` under pg_cron) fails its
 * jobs back to retry once a heartbeat is `heartbeatSeconds` late, instead of after the whole expiry.
 */
function keepClaimed(boss: PgBoss, queue: string, jobs: Array<Job<unknown>>, logger: Logger) {
  const beats = jobs.map((job) => job.heartbeatSeconds ?? 0).filter((seconds) => seconds > 0);
  if (!beats.length) return () => {};
  const attempts = jobs.map((job) => ({ id: job.id, retryCount: job.retryCount }));
  const timer = setInterval(
    () => {
      boss.touch(queue, attempts).catch((error: unknown) => {
        // A beat that could not be sent says nothing about the claim: the next one may get through.
        logger.warn('job heartbeat failed', { queue, error: String(error) });
      });
    },
    (Math.min(...beats) * 1000) / 2,
  );
  timer.unref?.();
  return () => clearInterval(timer);
}

/**
 * Runs a fetched batch of one queue (all its jobs at once: callers fetch at most the queue's concurrency) and
 * settles it in one statement per outcome. The core both the worker and the drain share.
 */
export async function runBatch(
  boss: PgBoss,
  registry: JobRegistry,
  queue: string,
  jobs: Array<Job<unknown>>,
  options: RunBatchOptions,
): Promise<BatchResult> {
  const batch = batchAbort(jobs, options.signal);
  const stopBeating = keepClaimed(boss, queue, jobs, options.logger);
  const { wrapUp } = options;
  let settlements: Settlement[];
  try {
    settlements = await Promise.all(
      jobs.map((job) => runOne(registry, queue, job, { ...batch, wrapUp }, options.logger)),
    );
  } finally {
    stopBeating();
    batch.dispose();
  }
  const settled = await settleJobs(boss, queue, settlements);
  const ids = (outcome: Outcome) =>
    settlements.filter((s) => s.outcome === outcome && settled.has(s.id)).map((s) => s.id);
  const lapsed = settlements.filter((s) => !settled.has(s.id));
  if (lapsed.length) {
    // Its claim expired and it was handed to another attempt, which owns it now.
    options.logger.warn('job claims lapsed before settling', { queue, jobs: lapsed.map((s) => s.id) });
  }
  return { queue, completed: ids('completed'), failed: ids('failed'), deadLettered: ids('deadLettered') };
}
