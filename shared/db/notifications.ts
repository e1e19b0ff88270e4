// The notifications table: rows the owner's frontend receives through Realtime, written by workflow steps and
// AI jobs alike (below both, so neither imports the other).
import type { Queryable } from './database.ts';

/** A UUID derived from `key` (SHA-256, version 8 layout): the same cause always gets the same id. */
export async function stableUuid(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key)));
  const bytes = digest.slice(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface NotificationInput {
  id: string;
  userId: string;
  kind: string;
  title: string;
  body: string | null;
  payload: Record<string, unknown>;
}

/**
 * Writes a notification once: the id is derived from what caused it, so a repeated attempt finds the row
 * already there instead of adding a second one. Returns the stored row's id and creation time.
 */
export async function insertNotificationOnce(
  tx: Queryable,
  input: NotificationInput,
): Promise<{ id: string; createdAt: string; inserted: boolean }> {
  const inserted = await tx.query<{ id: string; created_at: Date }>(
    `insert into notifications (id, user_id, kind, title, body, payload)
     values ($1, $2, $3, $4, $5, $6::jsonb)
     on conflict (id) do nothing
     returning id, created_at`,
    [input.id, input.userId, input.kind, input.title, input.body, JSON.stringify(input.payload)],
  );
  if (inserted.rows[0]) {
    return { id: inserted.rows[0].id, createdAt: inserted.rows[0].created_at.toISOString(), inserted: true };
  }
  const { rows } = await tx.query<{ id: string; created_at: Date }>(
    `select id, created_at from notifications where id = $1 and user_id = $2`,
    [input.id, input.userId],
  );
  if (!rows[0]) throw new Error('notification id is taken by another user');
  return { id: rows[0].id, createdAt: rows[0].created_at.toISOString(), inserted: false };
}
