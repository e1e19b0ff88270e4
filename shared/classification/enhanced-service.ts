// classify_document_enhanced: one text (or one of the user's documents) through a workflow's cascade, stored.
import { transcriptOfSegments, transcriptOfText } from '../ai/transcript.ts';
import type { UserClaims } from '../auth/claims.ts';
import { badRequest, notFound } from '../http/errors.ts';
import type { EnhancedRequest } from './api-schemas.ts';
import { CascadeError, runCascade } from './cascade.ts';
import type { ClassificationDeps } from './deps.ts';
import { type ResolvedProfile, resolveProfile } from './profile-service.ts';
import { documentText, findSingleResult, insertSingleResult, type ResultView } from './result-store.ts';

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
  options: { resultId?: string; rateLimitPatienceMs?: number } = {},
): Promise<ResultView> {
  const { resultId, rateLimitPatienceMs } = options;
  const read = await deps.db.asUser<
    { stored: ResultView } | { stored: undefined; definition: ResolvedProfile; text: string }
  >(
    user,
    async (tx) => {
      // A result already stored under this id (a job delivered again) is the answer: nothing is paid twice.
      const stored = resultId ? await findSingleResult(tx, resultId) : undefined;
      if (stored) return { stored };
      const definition = await resolveProfile(tx, request);
      if (request.segments) return { stored, definition, text: transcriptOfSegments(request.segments).text };
      if (request.documentId === undefined) return { stored, definition, text: request.text ?? '' };
      const content = await documentText(tx, request.documentId);
      if (content === undefined) throw notFound('Document');
      return { stored, definition, text: content };
    },
    { readOnly: true },
  );
  if (read.stored) return read.stored;
  const { definition, text } = read;
  if (!text.trim()) throw badRequest('The document is empty: there is no text to classify');
  // A transcript over the speaker or segment limits is refused before anything runs or is stored.
  if (!request.segments) transcriptOfText(text);
  const documentId = request.documentId ?? null;
  try {
    const result = await runCascade(
      deps.ai,
      { userId: user.sub, requestId, rateLimitPatienceMs },
      text,
      definition.categories,
      definition.stages,
      request.segments,
    );
    // Results are the service's to write (users read and delete them): stored as service_role, for this user.
    return await deps.db.asService((tx) =>
      insertSingleResult(tx, { userId: user.sub, documentId, result, trace: result.trace, id: resultId }),
    );
  } catch (error) {
    if (!(error instanceof CascadeError)) throw error;
    await deps.db.asService((tx) =>
      insertSingleResult(tx, {
        userId: user.sub,
        documentId,
        trace: error.trace.filter(Boolean),
        error: error.message,
        id: resultId,
      }),
    );
    throw error.cause;
  }
}
