import { EventEmitter } from 'node:events';
import type { PgBoss } from 'pg-boss';
import type { Logger } from '../http/logger.ts';
import type { JobRegistry } from './registry.ts';
import { type BatchResult, runBatch } from './runner.ts';
import { listenForJobs, Wakeups } from './wakeup.ts';

export interface JobWorkerOptions {
  boss: PgBoss;
  registry: JobRegistry;
  logger: Logger;
  /** Where to LISTEN for new-job notifications; without it the worker only polls. */
  databaseUrl?: string;
  /** The queues to work; every registered queue by default. */
  queues?: string[];
  /** How long an idle queue waits when no NOTIFY comes (deferred and retried jobs are not announced). */
  pollIntervalMs?: number;
  /**
   * Fetch loops per queue (default 2, at most the queue's concurrency). They share the queue's concurrency, so
   * one loop's batch runs while another's settles and fetches: no idle gap between batches, and a slow job
   * holds back only its own batch.
   */
  loopsPerQueue?: number;
}

export interface JobWorkerEvents {
  /** A batch was settled (the event tests wait on instead of sleeping). */
  settled: [BatchResult];
  error: [Error];
}

/**
 * The long-running worker: per queue, loops that fetch a batch, run it, settle it in one statement per outcome,
 * and fetch again at once while batches come back full; when a queue runs dry they wait for pg-boss's NOTIFY
 * (or the poll interval). At most the queue's concurrency of jobs run at once.
 */
export class JobWorker extends EventEmitter<JobWorkerEvents> {
  readonly #options: JobWorkerOptions;
  readonly #wakeups = new Wakeups();
  readonly #stopping = new AbortController();
  // Aborts in-flight handlers once a stop's grace period is over.
  readonly #abandon = new AbortController();
  #loops: Promise<void>[] = [];
  #listener: { close(): Promise<void> } | undefined;

  constructor(options: JobWorkerOptions) {
    super();
    this.#options = options;
  }

  get queues(): string[] {
    return this.#options.queues ?? this.#options.registry.queues();
  }

  /** Starts listening and one fetch loop (or more) per queue. */
  async start(): Promise<this> {
    const { databaseUrl, logger, registry } = this.#options;
    for (const queue of this.queues) {
      if (!registry.get(queue)) throw new Error(`No handler registered for queue ${queue}`);
    }
    if (databaseUrl) this.#listener = await listenForJobs(databaseUrl, this.#wakeups, logger);
    for (const queue of this.queues) {
      const concurrency = registry.get(queue)!.concurrency;
      const loops = Math.min(this.#options.loopsPerQueue ?? 2, concurrency);
      const batchSize = Math.ceil(concurrency / loops);
      for (let i = 0; i < loops; i++) this.#loops.push(this.#loop(queue, batchSize));
    }
    logger.info('job worker started', { queues: this.queues });
    return this;
  }

  /** Stops fetching, lets batches in flight finish for up to `graceMs`, then fails what is left (retried later). */
  async stop(graceMs = 10_000): Promise<void> {
    this.#stopping.abort();
    await this.#listener?.close();
    const grace = setTimeout(() => this.#abandon.abort(new Error('worker stopped')), graceMs);
    try {
      await Promise.all(this.#loops);
    } finally {
      clearTimeout(grace);
    }
  }

  async #loop(queue: string, batchSize: number): Promise<void> {
    const { boss, registry, logger } = this.#options;
    const pollMs = this.#options.pollIntervalMs ?? 2000;
    const stopping = this.#stopping.signal;
    while (!stopping.aborted) {
      this.#wakeups.arm(queue);
      try {
        const jobs = await boss.fetch<unknown>(queue, { batchSize });
        if (jobs.length) {
          const result = await runBatch(boss, registry, queue, jobs, {
            logger,
            signal: this.#abandon.signal,
          });
          this.emit('settled', result);
          // A full batch means more is waiting: fetch again without waiting.
          if (jobs.length === batchSize) continue;
        }
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        logger.error('job loop failed; retrying after the poll interval', { queue, error: failure.message });
        if (this.listenerCount('error')) this.emit('error', failure);
      }
      await this.#wakeups.wait(queue, pollMs, stopping);
    }
  }
}
