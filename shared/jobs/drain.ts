import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { Logger } from '../http/logger.ts';
import type { JobRegistry } from './registry.ts';
import { runBatch } from './runner.ts';

export const DEFAULT_DRAIN_BUDGET_MS = 20_000;
/** Supabase ends an Edge Function request at 150 s; keep well inside it. */
export const MAX_DRAIN_BUDGET_MS = 120_000;

export const DrainRequestSchema = z.object({
  budgetMs: z.number().int().min(100).max(MAX_DRAIN_BUDGET_MS).optional(),
  queues: z.array(z.string().min(1).max(200)).min(1).max(100).optional(),
});
export type DrainRequest = z.infer<typeof DrainRequestSchema>;

export interface DrainResult {
  budgetMs: number;
  elapsedMs: number;
  /** `empty` when every queue ran dry, `budget` when time ran out with work left for the next call. */
  stoppedBy: 'empty' | 'budget';
  completed: number;
  failed: number;
  deadLettered: number;
  queues: Record<string, { completed: number; failed: number; deadLettered: number }>;
}

// Time kept back for settling the last batch and answering: the budget is the caller's wall-clock limit.
function reserveMs(budgetMs: number): number {
  return Math.min(1000, Math.floor(budgetMs * 0.25));
}

/**
 * Processes jobs of `queues` for at most `budgetMs`, for deployments with no long-running worker (Supabase Cron
 * calls `POST /jobs/drain`). Batches start only while the queue's last batch time fits in what is left, so
 * work is not begun that cannot finish; a handler still running at the deadline is stopped and its job failed,
 * to be retried. Jobs never fetched stay queued for the next call.
 */
export async function drainJobs(
  boss: PgBoss,
  registry: JobRegistry,
  logger: Logger,
  options: { budgetMs?: number; queues?: string[] } = {},
): Promise<DrainResult> {
  const budgetMs = options.budgetMs ?? DEFAULT_DRAIN_BUDGET_MS;
  const started = performance.now();
  const deadline = started + budgetMs - reserveMs(budgetMs);
  const stop = AbortSignal.timeout(Math.max(0, Math.floor(deadline - started)));
  const result: DrainResult = {
    budgetMs,
    elapsedMs: 0,
    stoppedBy: 'empty',
    completed: 0,
    failed: 0,
    deadLettered: 0,
    queues: {},
  };
  // How long the last batch of each queue took: the estimate of the next one.
  const batchMs = new Map<string, number>();
  let open = [...(options.queues ?? registry.queues())];

  while (open.length) {
    const stillOpen: string[] = [];
    for (const queue of open) {
      const entry = registry.get(queue);
      if (!entry) continue;
      // Start only what should finish in time; the queue's work is left for the next call.
      if (deadline - performance.now() <= (batchMs.get(queue) ?? 0) * 1.2) {
        result.stoppedBy = 'budget';
        continue;
      }
      const jobs = await boss.fetch<unknown>(queue, { batchSize: entry.concurrency });
      if (!jobs.length) continue;
      const batchStarted = performance.now();
      const batch = await runBatch(boss, registry, queue, jobs, { logger, signal: stop });
      batchMs.set(queue, performance.now() - batchStarted);
      const counts = result.queues[queue] ?? { completed: 0, failed: 0, deadLettered: 0 };
      result.queues[queue] = counts;
      for (const outcome of ['completed', 'failed', 'deadLettered'] as const) {
        counts[outcome] += batch[outcome].length;
        result[outcome] += batch[outcome].length;
      }
      stillOpen.push(queue);
    }
    open = stillOpen;
  }
  result.elapsedMs = Math.round(performance.now() - started);
  return result;
}
