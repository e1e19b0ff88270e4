// Data layer of what workflow steps read and change outside the workflow tables: the document (notifications:
// shared/db/notifications.ts).
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
