import type { PgBoss } from 'pg-boss';
import type { Database, Queryable } from '../db/database.ts';
import type { Logger } from '../http/logger.ts';
import { createSenderBoss, transactionDb } from './boss.ts';
import { type JobContract, parsePayload } from './contract.ts';
import { JobRegistry } from './registry.ts';

interface SendJobOptions {
  /** Join this transaction: the job exists if and only if it commits. */
  tx?: Queryable;
  /** A job id chosen by the caller; sending the same id to the same queue again creates nothing. */
  id?: string;
  /** Run no earlier than this time (a Date) or this many seconds from now. */
  startAfter?: Date | number;
  singletonKey?: string;
  /** With singletonKey: at most one job per key in each slot of this many seconds. */
  singletonSeconds?: number;
  priority?: number;
}

/** The jobs side of a process: the handler registry and validated, optionally transactional, sends. */
export interface JobsService {
  readonly registry: JobRegistry;
  /** The process's pg-boss instance, started on first use. */
  boss(): Promise<PgBoss>;
  /**
   * Validates `data` with the contract's schema, then sends it. Resolves to the new job's id, or null when
   * a singleton slot or the given id already holds a job.
   */
  send<T>(contract: JobContract<T>, data: T, options?: SendJobOptions): Promise<string | null>;
  /** How many jobs this process has sent so far: a request that saw it change sent work (shared/jobs/background.ts). */
  readonly sentCount: number;
  /** Stops pg-boss if it was started; the database pool stays the caller's to close. */
  close(): Promise<void>;
}

/** Builds the jobs service of a function or worker process over its database pool. */
export function createJobsService(db: Database, logger: Logger): JobsService {
  const registry = new JobRegistry();
  let starting: Promise<PgBoss> | undefined;
  let sent = 0;

  function boss(): Promise<PgBoss> {
    starting ??= createSenderBoss(db.pool, logger)
      .start()
      .catch((error: unknown) => {
        // A failed start (database down) must not poison every later send.
        starting = undefined;
        throw error;
      });
    return starting;
  }

  return {
    registry,
    boss,
    get sentCount() {
      return sent;
    },
    async send(contract, data, options = {}) {
      const payload = parsePayload(contract, data);
      const instance = await boss();
      const { tx, ...jobOptions } = options;
      sent++;
      return instance.send(contract.queue, payload as object, {
        ...jobOptions,
        ...(tx ? { db: transactionDb(tx) } : {}),
      });
    },
    async close() {
      const instance = await starting?.catch(() => undefined);
      starting = undefined;
      // The pool is not pg-boss's (close: false) and is closed by its owner.
      await instance?.stop({ close: false, graceful: false }).catch((error: unknown) => {
        logger.warn('pg-boss did not stop cleanly', { error: String(error) });
      });
    },
  };
}
