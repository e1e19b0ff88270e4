// Runs a workflow's stages on one text. Classifier stages form a cascade: each runs only while the ones before
// it were unsure (below their threshold), so the LLM is paid for only when cheaper stages could not decide.
// Sentiment and entities do not depend on the category and run alongside the cascade; for a transcript the
// sentiment carries each speaker's and each entity mention's.
import type { AiCallContext, AiService } from '../ai/ai-service.ts';
import type { AiOutcome } from '../ai/pipeline.ts';
import type { TranscriptSegment } from '../ai/transcript.ts';
import { CLASSIFIER_STAGES, type ClassificationCategory, type Stage } from './definition.ts';
import { classifyByRules } from './rules.ts';
import type { CallMeta, Classification, EnhancedResult, Entity, Sentiment, TraceEntry } from './types.ts';

const IN_PROCESS: CallMeta = {
  provider: 'rules',
  model: null,
  tokensIn: 0,
  tokensOut: 0,
  costUsd: 0,
  latencyMs: 0,
  cached: false,
};

/** A cascade that failed at a stage; `trace` holds what ran (and was paid for) before and at the failure. */
export class CascadeError extends Error {
  readonly trace: TraceEntry[];
  readonly stage: number;

  constructor(stage: number, cause: unknown, trace: TraceEntry[]) {
    super(`stage ${stage} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'CascadeError';
    this.stage = stage;
    this.trace = trace;
  }
}

/** Which model a stage asks: the offline local models, or the configured LLM provider. */
export type Engine = 'local' | 'llm';

/** Who a cascade's calls are for, for logging and cost attribution. */
export interface CascadeContext extends Omit<AiCallContext, 'provider' | 'userId'> {
  userId: string;
}

/** The AI operations a cascade uses (the process's `services.ai`). */
export type CascadeAi = Pick<AiService, 'providers' | 'classify' | 'sentiment' | 'entities'>;

// `llm` stages ask OpenAI (or the compatible server) when one is configured and the local models otherwise,
// which the trace shows as the provider that answered.
const providerFor = (ai: CascadeAi, engine: Engine) =>
  engine === 'llm' && ai.providers.includes('openai') ? ('openai' as const) : ('local' as const);

const metaOf = (outcome: AiOutcome<unknown>): CallMeta => ({
  provider: outcome.provider,
  model: outcome.model,
  tokensIn: outcome.usage.tokensIn,
  tokensOut: outcome.usage.tokensOut,
  costUsd: outcome.costUsd,
  latencyMs: outcome.latencyMs,
  cached: outcome.cached,
});

const isClassifier = (stage: Stage) => (CLASSIFIER_STAGES as readonly string[]).includes(stage.type);

function entry(stage: number, type: string, meta: CallMeta, extra: Partial<TraceEntry>): TraceEntry {
  const { provider, model, tokensIn, tokensOut, costUsd, latencyMs, cached } = meta;
  return {
    stage,
    type,
    status: 'completed',
    provider,
    model,
    latencyMs,
    tokensIn,
    tokensOut,
    costUsd,
    ...(cached ? { cached } : {}),
    ...extra,
  };
}

function failedEntry(stage: number, type: string, error: unknown): TraceEntry {
  const meta = (error as { usage?: { tokensIn?: number; tokensOut?: number } }).usage;
  return {
    stage,
    type,
    status: 'failed',
    provider: null,
    model: null,
    latencyMs: 0,
    tokensIn: meta?.tokensIn ?? 0,
    tokensOut: meta?.tokensOut ?? 0,
    costUsd: 0,
    reason: error instanceof Error ? error.message : String(error),
  };
}

async function timed<T>(run: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: Math.round(performance.now() - started) };
}

/** Runs `stages` in order on `text`; throws a `CascadeError` (with the partial trace) when a stage fails. */
export async function runCascade(
  ai: CascadeAi,
  context: CascadeContext,
  text: string,
  categories: ClassificationCategory[],
  stages: Stage[],
  /** The transcript `text` was joined from, for the sentiment stage's speakers and targets. */
  segments?: readonly TranscriptSegment[],
): Promise<EnhancedResult> {
  const trace: TraceEntry[] = [];
  const lastClassifier = stages.findLastIndex(isClassifier);
  let failure: CascadeError | undefined;
  const fail = (index: number, type: string, error: unknown) => {
    trace[index] = failedEntry(index, type, error);
    failure ??= new CascadeError(index, error, trace);
  };

  async function classifierChain(): Promise<Classification | undefined> {
    let latest: Classification | undefined;
    let decided = false;
    for (const [index, stage] of stages.entries()) {
      if (stage.type !== 'rules' && stage.type !== 'local' && stage.type !== 'llm') continue;
      if (decided || failure) {
        trace[index] = {
          ...entry(index, stage.type, IN_PROCESS, {}),
          provider: null,
          status: 'skipped',
          reason: failure ? 'an earlier stage failed' : 'an earlier stage was confident enough',
        };
        continue;
      }
      const threshold = stage.threshold;
      try {
        let answer: Classification | undefined;
        let meta: CallMeta;
        if (stage.type === 'rules') {
          const run = await timed(() => classifyByRules(text, categories));
          answer = run.value;
          meta = { ...IN_PROCESS, latencyMs: run.ms };
        } else {
          const provider = providerFor(ai, stage.type === 'llm' ? 'llm' : 'local');
          const outcome = await ai.classify({ text, categories }, { ...context, provider });
          const { category, confidence, alternatives } = outcome.result;
          answer = { category, confidence, alternatives };
          meta = metaOf(outcome);
        }
        if (answer) latest = answer;
        const sure = answer !== undefined && (threshold === undefined || answer.confidence >= threshold);
        const last = index === lastClassifier;
        decided = sure || last;
        trace[index] = entry(index, stage.type, meta, {
          // The last classifier's answer stands even when unsure: there is nobody left to hand over to.
          status: answer && decided ? 'accepted' : last ? 'completed' : 'handed_over',
          ...(answer ? { category: answer.category, confidence: answer.confidence } : { confidence: 0 }),
          ...(threshold !== undefined ? { threshold } : {}),
          ...(answer ? {} : { reason: 'no keyword matched' }),
        });
      } catch (error) {
        fail(index, stage.type, error);
      }
    }
    return latest;
  }

  async function side<T>(type: 'sentiment' | 'entities'): Promise<T | undefined> {
    const index = stages.findIndex((stage) => stage.type === type);
    const stage = stages[index];
    if (!stage || (stage.type !== 'sentiment' && stage.type !== 'entities')) return undefined;
    try {
      const call = { ...context, provider: providerFor(ai, stage.provider) };
      const [output, outcome] =
        type === 'sentiment'
          ? await ai.sentiment(segments ? { segments } : { text }, call).then((o) => [o.result, o] as const)
          : await ai.entities({ text }, call).then((o) => [o.result.entities, o] as const);
      trace[index] = entry(index, type, metaOf(outcome), {});
      return output as T;
    } catch (error) {
      fail(index, type, error);
      return undefined;
    }
  }

  const [classification, sentiment, entities] = await Promise.all([
    classifierChain(),
    side<Sentiment>('sentiment'),
    side<Entity[]>('entities'),
  ]);
  if (failure) throw failure;
  return {
    category: classification?.category ?? null,
    confidence: classification?.confidence ?? 0,
    alternatives: classification?.alternatives ?? [],
    sentiment: sentiment ?? null,
    entities: entities ?? [],
    trace,
    costUsd: totalCost(trace),
  };
}

/** The cost of every stage in a trace, in USD (rounded to the 6 decimals the tables keep). */
export function totalCost(trace: TraceEntry[]): number {
  return Math.round(trace.reduce((sum, step) => sum + (step?.costUsd ?? 0), 0) * 1e6) / 1e6;
}
