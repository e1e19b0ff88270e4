// The caller's documents, read straight from Postgres through supabase-js under RLS.
import { rows, supabase } from './api.ts';
import type { DocumentRow } from './types.ts';

/** The newest documents of the signed-in user (RLS: no filter needed). */
export function listDocuments(limit = 100): Promise<DocumentRow[]> {
  return rows<DocumentRow>(
    supabase()
      .from('documents')
      .select('id, title, content, created_at')
      .order('created_at', { ascending: false })
      .limit(limit),
  );
}

export const documentLabel = (doc: DocumentRow) => doc.title || `${doc.content.slice(0, 60)}…`;
