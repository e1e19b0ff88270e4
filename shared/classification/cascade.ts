// Runs a workflow's stages on one text. Classifier stages form a cascade: each runs only while the ones before
// it were unsure (below their threshold), so the LLM is paid for only when cheaper stages could not decide.
// Sentiment and entities do not depend on the category and run alongside the cascade.
import type { CallContext, ClassificationAi } from './ai-port.ts';
import { type Category, CLASSIFIER_STAGES, type Stage } from './definition.ts';
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
  ai: ClassificationAi,
  context: CallContext,
  text: string,
  categories: Category[],
  stages: Stage[],
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
          const engine = stage.type === 'llm' ? 'llm' : 'local';
          ({ output: answer, meta } = await ai.classify({ text, categories, engine }, context));
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
      const { output, meta } = await (type === 'sentiment'
        ? ai.sentiment({ text, engine: stage.provider }, context)
        : ai.entities({ text, engine: stage.provider }, context));
      trace[index] = entry(index, type, meta, {});
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
