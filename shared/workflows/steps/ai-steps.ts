// The AI steps: each calls the process's AI service (`services.ai`, shared/ai/ai-service.ts) straight, so a step
// reaches the pipeline (cache, shared rate limit, budget, cost, `ai_processing_logs`) through that one module.
// A classification step naming a classification profile runs the profile's stages with classification's cascade.
import type { AiService } from '../../ai/ai-service.ts';
import { backgroundPatienceMs } from '../../ai/pipeline.ts';
import { classifyWithProfile } from '../../classification/profile-service.ts';
import type { Database } from '../../db/database.ts';
import { rethrowForRetry } from '../../http/retry.ts';
import type { StepOf } from '../definition.ts';
import { resolvePolicy } from '../retry-policy.ts';
import type { StepContext, StepResult } from '../step-executor.ts';

/** What the AI steps call: the AI service, and the database to read a classification profile as its owner. */
export interface AiStepDeps {
  readonly ai: AiService;
  readonly db: Database;
}

const PARTS = {
  summary: 'summary',
  key_points: 'keyPoints',
  action_items: 'actionItems',
  risks: 'risks',
} as const;

/** The text AI steps read: the document's title and content. */
function documentText(context: StepContext): string {
  const { title, content } = context.document;
  return title ? `${title}\n\n${content}` : content;
}

/** Who an AI step calls for, waiting out rate limits for up to three quarters of the step's timeout. */
function callOf(context: StepContext) {
  return {
    userId: context.execution.userId,
    signal: context.signal,
    rateLimitPatienceMs: backgroundPatienceMs(resolvePolicy(context.step).timeoutSeconds),
  };
}

/** Classification step: inline categories, or the user's classification profile (`classificationWorkflowId`). */
export function classificationStep(deps: AiStepDeps) {
  return async function classify(context: StepContext<StepOf<'classification'>>): Promise<StepResult> {
    const call = callOf(context);
    const text = documentText(context);
    const { categories, classificationWorkflowId } = context.step.config;
    try {
      if (!categories) {
        const profileId = classificationWorkflowId!;
        const result = await classifyWithProfile(deps, call, { profileId, text });
        return { status: 'completed', output: { ...result, classificationWorkflowId: profileId } };
      }
      const outcome = await deps.ai.classify({ text, categories }, call);
      const { category, confidence, alternatives } = outcome.result;
      const output = { category, confidence, alternatives, provider: outcome.provider, model: outcome.model };
      return { status: 'completed', output };
    } catch (error) {
      rethrowForRetry(error);
    }
  };
}

/** Analysis step: the parts of the analysis the step asks for. */
export function analysisStep(deps: Pick<AiStepDeps, 'ai'>) {
  return async function analyze(context: StepContext<StepOf<'analysis'>>): Promise<StepResult> {
    const outcome = await deps.ai
      .analyze({ text: documentText(context) }, callOf(context))
      .catch(rethrowForRetry);
    const parts = context.step.config.include.map((part) => [PARTS[part], outcome.result[PARTS[part]]]);
    const output = { ...Object.fromEntries(parts), provider: outcome.provider, model: outcome.model };
    return { status: 'completed', output };
  };
}
