import { z } from '@hono/zod-openapi';
import type { Queryable } from '../db/database.ts';

export const QueueHealthSchema = z
  .object({
    queue: z.string(),
    deadLetter: z.string().nullable(),
    queued: z.number().int().openapi({ description: 'Jobs waiting: created or retry, due now or later' }),
    ready: z.number().int().openapi({ description: 'Waiting jobs that are due now' }),
    active: z.number().int(),
    failed: z.number().int().openapi({ description: 'Jobs that failed for good and are still retained' }),
    deadLettered: z.number().int().openapi({ description: 'Jobs held in the dead-letter queue' }),
    oldestReadySeconds: z.number().openapi({ description: 'How long the oldest due job has waited' }),
  })
  .openapi('QueueHealth');
export type QueueHealth = z.infer<typeof QueueHealthSchema>;

interface QueueHealthRow {
  queue: string;
  dead_letter: string | null;
  queued: number;
  ready: number;
  active: number;
  failed: number;
  dead_lettered: number;
  oldest_ready_seconds: number;
}

const fromRow = (row: QueueHealthRow): QueueHealth => ({
  queue: row.queue,
  deadLetter: row.dead_letter,
  queued: row.queued,
  ready: row.ready,
  active: row.active,
  failed: row.failed,
  deadLettered: row.dead_lettered,
  oldestReadySeconds: Math.round(Number(row.oldest_ready_seconds) * 1000) / 1000,
});

/** Every source queue's depth, activity, failures, dead letters and oldest due job (app_private.queue_health()). */
export async function readQueueHealth(tx: Queryable): Promise<QueueHealth[]> {
  const { rows } = await tx.query<QueueHealthRow>('select * from app_private.queue_health()');
  return rows.map(fromRow);
}

/**
 * The same figures counting only one user's jobs (those whose payload names them as `userId`), for the user's
 * own view of GET /ai/metrics: no other tenant's queue depth or failures. Read as the service role.
 */
export async function readUserQueueHealth(tx: Queryable, userId: string): Promise<QueueHealth[]> {
  const { rows } = await tx.query<QueueHealthRow>('select * from app_private.user_queue_health($1)', [
    userId,
  ]);
  return rows.map(fromRow);
}
