// Data layer of what workflow steps read and change outside the workflow tables: the document and notifications.
import type { Queryable } from '../db/database.ts';
import type { Destination } from './definition.ts';
import type { DocumentView } from './types.ts';

/** The owner's document as steps see it; undefined when it is gone. */
export async function findDocument(
  tx: Queryable,
  userId: string,
  documentId: string,
): Promise<DocumentView | undefined> {
  const { rows } = await tx.query<{
    id: string;
    user_id: string;
    title: string | null;
    content: string;
    metadata: Record<string, unknown>;
    routed_to: string | null;
    created_at: Date;
  }>(
    `select id, user_id, title, content, metadata, routed_to, created_at from documents
      where id = $1 and user_id = $2`,
    [documentId, userId],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    userId: row.user_id,
    title: row.title,
    content: row.content,
    metadata: row.metadata,
    routedTo: row.routed_to,
    createdAt: row.created_at.toISOString(),
  };
}

/** True when the caller can see the document (under RLS: it is theirs). */
export async function documentExists(tx: Queryable, documentId: string): Promise<boolean> {
  const { rowCount } = await tx.query('select 1 from documents where id = $1', [documentId]);
  return rowCount === 1;
}

/** Records where a routing step sent the document (idempotent: the same decision writes the same values). */
export async function routeDocument(
  tx: Queryable,
  userId: string,
  documentId: string,
  destination: Destination,
  routing: Record<string, unknown>,
): Promise<void> {
  await tx.query(`update documents set routed_to = $3, routing = $4::jsonb where id = $1 and user_id = $2`, [
    documentId,
    userId,
    `${destination.type}:${destination.id}`,
    JSON.stringify(routing),
  ]);
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
