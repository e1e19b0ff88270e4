// What the cascade needs from the AI service, kept to the three operations its stages use so either side can
// change independently. `ai-adapter.ts` wires it to shared/ai's providers; tests may pass their own.
import type { Category } from './definition.ts';
import type { CallMeta, Classification, Entity, Sentiment } from './types.ts';

/** Which model answers: the offline local models, or the configured LLM provider. */
export type Engine = 'local' | 'llm';

/** Who the call is for, for logging and cost attribution. */
export interface CallContext {
  userId: string;
  requestId?: string;
  signal?: AbortSignal;
}

export interface Answer<T> {
  output: T;
  meta: CallMeta;
}

/** The AI operations of classification stages. */
export interface ClassificationAi {
  classify(
    request: { text: string; categories: Category[]; engine: Engine },
    context: CallContext,
  ): Promise<Answer<Classification>>;
  sentiment(request: { text: string; engine: Engine }, context: CallContext): Promise<Answer<Sentiment>>;
  entities(request: { text: string; engine: Engine }, context: CallContext): Promise<Answer<Entity[]>>;
}
