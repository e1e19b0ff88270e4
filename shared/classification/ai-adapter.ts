// The cascade's AI port over the AI service (shared/ai): one pipeline per provider with the shared cache, rate
// limiter, cost and `ai_processing_logs` entry per call. `local` stages ask the offline models; `llm` stages
// ask OpenAI (or the compatible server) when one is configured, and the local models otherwise, which the
// trace shows as the provider that answered.
import type { AiService } from '../ai/ai-service.ts';
import type { AiOutcome } from '../ai/service.ts';
import type { Answer, ClassificationAi, Engine } from './ai-port.ts';
import type { CallMeta } from './types.ts';

const metaOf = (outcome: AiOutcome<unknown>): CallMeta => ({
  provider: outcome.provider,
  model: outcome.model,
  tokensIn: outcome.usage.tokensIn,
  tokensOut: outcome.usage.tokensOut,
  costUsd: outcome.costUsd,
  latencyMs: outcome.latencyMs,
  cached: outcome.cached,
});

/** The port over an AI service. */
export function classificationAiFrom(ai: AiService): ClassificationAi {
  const provider = (engine: Engine) =>
    engine === 'llm' && ai.providers.includes('openai') ? ('openai' as const) : ('local' as const);
  const answer = <T, R>(outcome: AiOutcome<T>, output: R): Answer<R> => ({ output, meta: metaOf(outcome) });
  return {
    async classify({ text, categories, engine }, context) {
      const outcome = await ai.classify({ text, categories }, { ...context, provider: provider(engine) });
      const { category, confidence, alternatives } = outcome.result;
      return answer(outcome, { category, confidence, alternatives });
    },
    async sentiment({ text, engine }, context) {
      const outcome = await ai.sentiment({ text }, { ...context, provider: provider(engine) });
      return answer(outcome, outcome.result);
    },
    async entities({ text, engine }, context) {
      const outcome = await ai.entities({ text }, { ...context, provider: provider(engine) });
      return answer(outcome, outcome.result.entities);
    },
  };
}

/** The port over a service built on first use, so a process that never classifies never loads the models. */
export function lazyClassificationAi(build: () => AiService): ClassificationAi {
  let port: ClassificationAi | undefined;
  const get = () => {
    port ??= classificationAiFrom(build());
    return port;
  };
  return {
    classify: (request, context) => get().classify(request, context),
    sentiment: (request, context) => get().sentiment(request, context),
    entities: (request, context) => get().entities(request, context),
  };
}
