import type { z } from 'zod';
import type { Logger } from '../http/logger.ts';
import { defineJob, type JobContract } from './contract.ts';

/** What a handler knows about the job it runs. */
export interface JobContext {
  /** The pg-boss job id: stable across retries, so it is the natural idempotency key of a handler's effects. */
  id: string;
  queue: string;
  /** 0 on the first attempt. */
  retryCount: number;
  /** Aborted when the attempt must stop: its expiry, the worker stopping, or a drain's budget running out. */
  signal: AbortSignal;
  /**
   * Aborted when whoever runs the job stops taking work (a drain at its CPU, wall or memory budget) while the
   * attempt still has time: a handler that works through many items starts no new one, finishes those it
   * started, and hands the rest to a job of its own (ready at once, no retry delay), then returns. Absent
   * where nothing asks for it.
   */
  wrapUp?: AbortSignal;
  logger: Logger;
}

/** Runs one job. Must be idempotent: pg-boss delivers at least once, so a job may run again after a crash. */
export type JobHandler<T> = (data: T, context: JobContext) => Promise<unknown>;

export interface RegisteredJob<T = unknown> extends JobContract<T> {
  handler: JobHandler<T>;
  /** How many of this queue's jobs one worker runs at once (also its fetch batch in a drain). */
  concurrency: number;
}

export interface RegisterOptions {
  concurrency?: number;
}

/**
 * The handlers of every queue, shared by both ways of running them (the Node worker and `POST /jobs/drain`).
 * Services register theirs when the process builds its services; nothing is global.
 */
export class JobRegistry {
  readonly #jobs = new Map<string, RegisteredJob>();

  /** Registers the handler of a contract's queue, replacing an earlier one. */
  register<T>(contract: JobContract<T>, handler: JobHandler<T>, options: RegisterOptions = {}): this {
    const concurrency = options.concurrency ?? 10;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) {
      throw new RangeError(`concurrency of ${contract.queue} must be an integer from 1 to 1000`);
    }
    this.#jobs.set(contract.queue, { ...contract, handler, concurrency } as RegisteredJob);
    return this;
  }

  /** Registers a handler by queue name and payload schema. */
  registerHandler<S extends z.ZodType>(
    queue: string,
    schema: S,
    handler: JobHandler<z.infer<S>>,
    options?: RegisterOptions,
  ): this {
    return this.register(defineJob(queue, schema), handler, options);
  }

  /** The registered job of a queue, if this process handles it. */
  get(queue: string): RegisteredJob | undefined {
    return this.#jobs.get(queue);
  }

  /** The queues this process has handlers for. */
  queues(): string[] {
    return [...this.#jobs.keys()].sort();
  }
}
