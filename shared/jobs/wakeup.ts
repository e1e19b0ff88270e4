// @ts-types="npm:@types/pg@8.23.1"
import pg from 'pg';
import type { Logger } from '../http/logger.ts';
import { PGBOSS_SCHEMA } from './boss.ts';

/**
 * Per-queue wake-ups for idle workers. pg-boss NOTIFYs on a channel of its own when a job lands on a queue
 * with `notify` (all of ours, and app_private.enqueue_job does the same), so a worker waits on that event
 * rather than sleeping out a poll interval; the interval stays as a floor for deferred and retried jobs,
 * which no NOTIFY announces.
 */
export class Wakeups {
  readonly #flags = new Map<string, { notified: boolean; waiters: Set<() => void> }>();

  #flag(queue: string) {
    let flag = this.#flags.get(queue);
    if (!flag) {
      flag = { notified: false, waiters: new Set() };
      this.#flags.set(queue, flag);
    }
    return flag;
  }

  /** Call before fetching, so a NOTIFY that arrives during the fetch still cuts the next wait short. */
  arm(queue: string): void {
    this.#flag(queue).notified = false;
  }

  /** Waits until the queue is notified, `ms` pass or `signal` aborts. */
  wait(queue: string, ms: number, signal?: AbortSignal): Promise<void> {
    const flag = this.#flag(queue);
    if (flag.notified || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        flag.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      flag.waiters.add(done);
    });
  }

  /** Marks a queue as having new work and wakes its waiting loops. */
  notify(queue: string): void {
    const flag = this.#flag(queue);
    flag.notified = true;
    for (const wake of [...flag.waiters]) wake();
  }

  /** Wakes every queue (after a reconnect, when notifications may have been missed). */
  notifyAll(): void {
    for (const queue of this.#flags.keys()) this.notify(queue);
  }
}

/** Listens to pg-boss's NOTIFY channel on a dedicated connection, reconnecting until closed. */
export async function listenForJobs(
  databaseUrl: string,
  wakeups: Wakeups,
  logger: Logger,
): Promise<{ close(): Promise<void> }> {
  let closed = false;
  let client: pg.Client | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: databaseUrl, application_name: 'ai-jobs-listener' });
    next.on('notification', (message) => {
      if (message.payload) wakeups.notify(message.payload);
    });
    next.on('error', (error) => {
      void next.end().catch(() => {});
      if (closed) return;
      logger.warn('job listener lost its connection', { error: error.message });
      retry = setTimeout(() => void connect().catch(() => {}), 1000);
    });
    try {
      await next.connect();
      const { rows } = await next.query<{ channel: string }>(
        `select 'pgboss_' || left(encode(sha224($1::bytea), 'hex'), 24) as channel`,
        [PGBOSS_SCHEMA],
      );
      await next.query(`listen ${pg.escapeIdentifier(rows[0]!.channel)}`);
      client = next;
      // Anything sent while disconnected was not announced.
      wakeups.notifyAll();
    } catch (error) {
      await next.end().catch(() => {});
      if (closed) return;
      logger.warn('job listener could not connect; polling only until it can', { error: String(error) });
      retry = setTimeout(() => void connect().catch(() => {}), 1000);
    }
  }

  await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
