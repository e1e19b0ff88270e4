import { describe, expect, it } from 'vitest';
import type { ClassificationAi, Engine } from '../../shared/classification/ai-port.ts';
import { CascadeError, runCascade } from '../../shared/classification/cascade.ts';
import type { Category, Stage } from '../../shared/classification/definition.ts';
import type { CallMeta } from '../../shared/classification/types.ts';

const categories: Category[] = [
  { name: 'billing', keywords: ['invoice', 'refund'] },
  { name: 'support', keywords: ['error', 'crash'] },
];

const meta = (engine: Engine): CallMeta => ({
  provider: engine === 'llm' ? 'openai' : 'local',
  model: engine === 'llm' ? 'gpt-test' : 'local-v1',
  tokensIn: engine === 'llm' ? 100 : 0,
  tokensOut: engine === 'llm' ? 10 : 0,
  costUsd: engine === 'llm' ? 0.0002 : 0,
  latencyMs: 1,
  cached: false,
});

/** A port whose answers each test sets: a confidence per engine. */
function scriptedAi(confidence: Record<Engine, number>, calls: string[] = []): ClassificationAi {
  return {
    async classify({ engine }) {
      calls.push(`classify:${engine}`);
      return {
        output: { category: 'support', confidence: confidence[engine], alternatives: [] },
        meta: meta(engine),
      };
    },
    async sentiment({ engine }) {
      calls.push(`sentiment:${engine}`);
      return { output: { label: 'negative', score: -0.6, sentences: [] }, meta: meta(engine) };
    },
    async entities({ engine }) {
      calls.push(`entities:${engine}`);
      return { output: [{ text: 'Acme', type: 'organization', start: 0, end: 4 }], meta: meta(engine) };
    },
  };
}

const cascade: Stage[] = [
  { type: 'rules', threshold: 0.8 },
  { type: 'local', threshold: 0.7 },
  { type: 'llm' },
  { type: 'sentiment', provider: 'local' },
  { type: 'entities', provider: 'local' },
];
const context = { userId: crypto.randomUUID() };

describe('classification cascade', () => {
  it('stops at a confident rules stage: no model is asked to classify', async () => {
    const calls: string[] = [];
    const text = 'Refund the invoice: the refund for invoice 12 and the invoice for May.';
    const result = await runCascade(
      scriptedAi({ local: 0.9, llm: 0.9 }, calls),
      context,
      text,
      categories,
      cascade,
    );
    expect(result).toMatchObject({ category: 'billing', sentiment: { label: 'negative' } });
    expect(result.trace.map((step) => `${step.type}:${step.status}`)).toEqual([
      'rules:accepted',
      'local:skipped',
      'llm:skipped',
      'sentiment:completed',
      'entities:completed',
    ]);
    expect(calls.filter((call) => call.startsWith('classify'))).toEqual([]);
    expect(result.costUsd).toBe(0);
  });

  it('hands an unsure stage over to the next, and asks the LLM only when the local model is unsure too', async () => {
    const calls: string[] = [];
    const unsure = await runCascade(
      scriptedAi({ local: 0.4, llm: 0.95 }, calls),
      context,
      'It crashed.',
      categories,
      cascade,
    );
    expect(unsure.trace.slice(0, 3).map((step) => step.status)).toEqual([
      'handed_over',
      'handed_over',
      'accepted',
    ]);
    expect(unsure.trace[2]).toMatchObject({
      provider: 'openai',
      model: 'gpt-test',
      tokensIn: 100,
      costUsd: 0.0002,
    });
    expect(unsure.confidence).toBe(0.95);
    expect(unsure.costUsd).toBe(0.0002);

    const sure = await runCascade(
      scriptedAi({ local: 0.9, llm: 0.95 }),
      context,
      'It crashed.',
      categories,
      cascade,
    );
    expect(sure.trace.slice(0, 3).map((step) => step.status)).toEqual(['handed_over', 'accepted', 'skipped']);
    expect(sure.costUsd).toBe(0);
  });

  it('records a rules stage without matches as having no opinion', async () => {
    const result = await runCascade(
      scriptedAi({ local: 0.9, llm: 0.9 }),
      context,
      'Hello.',
      categories,
      cascade,
    );
    expect(result.trace[0]).toMatchObject({
      status: 'handed_over',
      confidence: 0,
      reason: 'no keyword matched',
    });
  });

  it('accepts the last classifier even when it is below its threshold', async () => {
    const stages: Stage[] = [{ type: 'local', threshold: 0.99 }];
    const result = await runCascade(scriptedAi({ local: 0.3, llm: 1 }), context, 'x', categories, stages);
    expect(result).toMatchObject({ category: 'support', confidence: 0.3, sentiment: null, entities: [] });
    expect(result.trace[0]).toMatchObject({ status: 'accepted', threshold: 0.99 });
  });

  it('answers no category when a rules-only workflow finds no keyword', async () => {
    const result = await runCascade(scriptedAi({ local: 1, llm: 1 }), context, 'x', categories, [
      { type: 'rules' },
    ]);
    expect(result).toMatchObject({ category: null, confidence: 0 });
    expect(result.trace[0]).toMatchObject({ status: 'completed' });
  });

  it('fails with the trace of what ran when a stage fails', async () => {
    const ai = scriptedAi({ local: 0.1, llm: 1 });
    ai.classify = async ({ engine }) => {
      if (engine === 'llm') throw new Error('provider down');
      return { output: { category: 'billing', confidence: 0.1, alternatives: [] }, meta: meta('local') };
    };
    const error = await runCascade(ai, context, 'x', categories, cascade).catch((caught) => caught);
    expect(error).toBeInstanceOf(CascadeError);
    expect((error as CascadeError).message).toBe('stage 2 failed: provider down');
    expect((error as CascadeError).trace.map((step) => step?.status)).toEqual([
      'handed_over',
      'handed_over',
      'failed',
      'completed',
      'completed',
    ]);
  });
});
