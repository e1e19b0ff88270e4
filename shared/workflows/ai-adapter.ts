// The workflow steps' AI port over the AI service (shared/ai): every call goes through its pipeline (cache,
// shared rate limiter, cost, `ai_processing_logs`). A classification step naming a classification workflow runs
// that workflow's stages with the classification service's cascade, as the workflow's owner.
import type { AiService } from '../ai/ai-service.ts';
import { userClaims } from '../auth/claims.ts';
import { classificationAiFrom } from '../classification/ai-adapter.ts';
import { runCascade } from '../classification/cascade.ts';
import { resolveDefinition } from '../classification/workflow-service.ts';
import type { Database } from '../db/database.ts';
import { AppError } from '../http/errors.ts';
import type { AnalysisPart, WorkflowAi } from './ai-port.ts';
import { NonRetriableError } from './step-executor.ts';

const PARTS = {
  summary: 'summary',
  key_points: 'keyPoints',
  action_items: 'actionItems',
  risks: 'risks',
} as const;

// A 4xx from the AI service (bad input, a missing or retired classification workflow) will not change on a
// retry; rate limits and provider failures will.
async function classifyErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && error.status < 500 && error.status !== 429) {
      throw new NonRetriableError(error.message);
    }
    throw error;
  }
}

/** The port over an AI service; `db` reads classification workflows as their owner (RLS applies). */
export function workflowAiFrom(ai: AiService, db: Database): WorkflowAi {
  const classificationAi = classificationAiFrom(ai);
  return {
    classify: ({ userId, text, categories, signal }) =>
      classifyErrors(async () => {
        const outcome = await ai.classify({ text, categories }, { userId, signal });
        const { category, confidence, alternatives } = outcome.result;
        return { category, confidence, alternatives, provider: outcome.provider, model: outcome.model };
      }),

    classifyWithWorkflow: ({ userId, text, workflowId, signal }) =>
      classifyErrors(async () => {
        const definition = await db.asUser(
          userClaims(userId),
          (tx) => resolveDefinition(tx, { workflowId }),
          {
            readOnly: true,
          },
        );
        const result = await runCascade(
          classificationAi,
          { userId, signal },
          text,
          definition.categories,
          definition.stages,
        );
        return { ...result, classificationWorkflowId: workflowId };
      }),

    analyze: ({ userId, text, include, signal }) =>
      classifyErrors(async () => {
        const outcome = await ai.analyze({ text }, { userId, signal });
        const parts = include.map((part: AnalysisPart) => [PARTS[part], outcome.result[PARTS[part]]]);
        return { ...Object.fromEntries(parts), provider: outcome.provider, model: outcome.model };
      }),
  };
}
