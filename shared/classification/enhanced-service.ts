// classify_document_enhanced: one text (or one of the user's documents) through a workflow's cascade, stored.
import type { UserClaims } from '../auth/claims.ts';
import { badRequest, notFound } from '../http/errors.ts';
import type { EnhancedRequest } from './api-schemas.ts';
import { CascadeError, runCascade } from './cascade.ts';
import type { ClassificationDeps } from './deps.ts';
import { documentText, insertSingleResult, type ResultView } from './result-store.ts';
import { resolveDefinition } from './workflow-service.ts';

/**
 * Classifies one text and stores the result. No transaction is held while models run: the definition and the
 * document are read first, the result written after. A failed stage is stored as a failed result (its trace
 * says what was paid for) and then thrown, so the caller sees the provider's error.
 */
export async function classifyEnhanced(
  deps: ClassificationDeps,
  user: UserClaims,
  request: EnhancedRequest,
  requestId?: string,
): Promise<ResultView> {
  const { definition, text } = await deps.db.asUser(
    user,
    async (tx) => {
      const definition = await resolveDefinition(tx, request);
      if (request.documentId === undefined) return { definition, text: request.text ?? '' };
      const content = await documentText(tx, request.documentId);
      if (content === undefined) throw notFound('Document');
      return { definition, text: content };
    },
    { readOnly: true },
  );
  if (!text.trim()) throw badRequest('The document is empty: there is no text to classify');
  const documentId = request.documentId ?? null;
  try {
    const result = await runCascade(
      deps.ai,
      { userId: user.sub, requestId },
      text,
      definition.categories,
      definition.stages,
    );
    return await deps.db.asUser(user, (tx) =>
      insertSingleResult(tx, { documentId, result, trace: result.trace }),
    );
  } catch (error) {
    if (!(error instanceof CascadeError)) throw error;
    await deps.db.asUser(user, (tx) =>
      insertSingleResult(tx, { documentId, trace: error.trace.filter(Boolean), error: error.message }),
    );
    throw error.cause;
  }
}
