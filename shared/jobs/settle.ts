import type { PgBoss } from 'pg-boss';
// The statements pg-boss's own `perJobResults` workers settle a batch with: per-job outputs, fenced to the
// attempt that was fetched, one statement per outcome. pg-boss 12 (12.38.0, pinned) has no public call for this
// (read in its types.d.ts / index.d.ts): complete() and fail() take one output for every id of a call (a
// statement per job to keep each job's own output), and fail() always retries while retries remain. Dead-
// lettering at once is public only as a `work({ perJobResults: true })` handler's `{ status: 'deadletter' }`
// (JobResult), and the drain (POST /jobs/drain and background drains) must run batches it fetched within a time
// budget, not a long-lived work() loop. So this is the one internal import (pg-boss has no `exports` map), kept to
// the three statement builders; the fence (`touch`) and fetch stay public. tests/db/job-worker.test.ts covers it.
import {
  completeJobsWithOutputs,
  deadLetterJobsByIdWithOutputs,
  failJobsByIdWithOutputs,
} from 'pg-boss/dist/plans.js';
import { PGBOSS_SCHEMA } from './boss.ts';

export type Outcome = 'completed' | 'failed' | 'deadLettered';

export interface Settlement {
  id: string;
  retryCount: number;
  outcome: Outcome;
  output: unknown;
}

const STATEMENTS: Record<Outcome, (schema: string, table: string) => string> = {
  completed: completeJobsWithOutputs,
  failed: failJobsByIdWithOutputs,
  deadLettered: deadLetterJobsByIdWithOutputs,
};

// The job table of each queue (job_common unless a queue is partitioned); it never changes for a queue.
const tables = new WeakMap<PgBoss, Map<string, string>>();

async function tableOf(boss: PgBoss, queue: string): Promise<string> {
  let byQueue = tables.get(boss);
  if (!byQueue) {
    byQueue = new Map();
    tables.set(boss, byQueue);
  }
  let table = byQueue.get(queue);
  if (!table) {
    const found = await boss.getQueue(queue);
    if (!found) throw new Error(`Queue ${queue} does not exist: run the migrations`);
    table = found.table;
    byQueue.set(queue, table);
  }
  return table;
}

function asOutput(value: unknown): object | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'object' && !Array.isArray(value)) return value;
  return { value };
}

/**
 * Records the outcome of each job of a batch: completed, failed (retried while retries remain, then dead-lettered)
 * or dead-lettered at once. Returns the ids pg-boss actually settled: a job whose claim lapsed (it expired and
 * another worker holds it) is left alone.
 */
export async function settleJobs(
  boss: PgBoss,
  queue: string,
  settlements: Settlement[],
): Promise<Set<string>> {
  const table = await tableOf(boss, queue);
  const settled = new Set<string>();
  for (const outcome of Object.keys(STATEMENTS) as Outcome[]) {
    const items = settlements
      .filter((s) => s.outcome === outcome)
      .map((s) => ({ id: s.id, retry_count: s.retryCount, output: asOutput(s.output) }));
    if (!items.length) continue;
    const { rows } = await boss
      .getDb()
      .executeSql(STATEMENTS[outcome](PGBOSS_SCHEMA, table), [queue, JSON.stringify(items)]);
    for (const id of (rows[0]?.ids as string[] | undefined) ?? []) settled.add(id);
  }
  return settled;
}
