import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AiService, createAiService } from '../../shared/ai/ai-service.ts';
import { loadAiConfig } from '../../shared/ai/config.ts';
import { costUsd } from '../../shared/ai/pricing.ts';
import { createNullAiStore } from '../../shared/ai/store.ts';
import type { TextModels } from '../../shared/ai/types.ts';
import { CascadeError, type Engine, runCascade } from '../../shared/classification/cascade.ts';
import type { ClassificationCategory, Stage } from '../../shared/classification/definition.ts';
import { createLogger } from '../../shared/http/logger.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';

const categories: ClassificationCategory[] = [
  { name: 'billing', keywords: ['invoice', 'refund'] },
  { name: 'support', keywords: ['error', 'crash'] },
];

// The LLM is the fake OpenAI server (the real SDK over HTTP); the offline provider runs over scripted models.
const MODEL = 'gpt-4.1-mini';
const USAGE = { prompt_tokens: 100, completion_tokens: 10 };
const LLM_COST = costUsd('openai', MODEL, { tokensIn: 100, tokensOut: 10 });
let openai: FakeOpenAi;
let llmConfidence = 0;
let llmFails = false;

beforeAll(async () => {
  openai = await startFakeOpenAi(() => {
    if (llmFails) return { status: 400, body: { error: { message: 'provider down' } } };
    const content = {
      category: 'support',
      confidence: llmConfidence,
      alternatives: [],
      reasoning: 'scripted',
    };
    return { content, usage: USAGE };
  });
});
afterAll(() => openai.stop());

/** The AI service whose answers each test sets: a confidence per engine; `calls` records what was asked. */
function scriptedAi(confidence: Record<Engine, number>, calls: string[] = []): AiService {
  llmConfidence = confidence.llm;
  llmFails = false;
  openai.reset();
  const models: TextModels & { name: string } = {
    name: 'local-test',
    classify: () => {
      calls.push('classify:local');
      return { category: 'support', confidence: confidence.local, alternatives: [], reasoning: 'scripted' };
    },
    sentiment: () => {
      calls.push('sentiment:local');
      return {
        label: 'negative',
        score: -0.6,
        scores: { positive: 0.1, negative: 0.8, neutral: 0.05, mixed: 0.05 },
        sentences: [],
      };
    },
    targetedSentiment: () => {
      calls.push('targeted:local');
      return { speakers: [], targets: [] };
    },
    entities: () => {
      calls.push('entities:local');
      return [{ text: 'Acme', type: 'organization', start: 0, end: 4 }];
    },
    analyze: () => ({ summary: '', keyPoints: [], actionItems: [], risks: [] }),
  };
  const config = loadAiConfig({
    OPENAI_API_KEY: openai.apiKey,
    OPENAI_BASE_URL: openai.baseUrl,
    OPENAI_MODEL: MODEL,
    OPENAI_MAX_RETRIES: '0',
  });
  return createAiService({
    config,
    store: createNullAiStore(),
    logger: createLogger('error'),
    localModels: models,
  });
}

/** The classification calls the fake OpenAI server received. */
const llmCalls = () => openai.requests.filter((request) => request.schemaName === 'classification').length;

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
    expect(llmCalls()).toBe(0);
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
      model: MODEL,
      tokensIn: 100,
      tokensOut: 10,
      costUsd: LLM_COST,
    });
    expect(LLM_COST).toBeGreaterThan(0);
    expect(unsure.confidence).toBe(0.95);
    expect(unsure.costUsd).toBe(LLM_COST);
    expect(calls.filter((call) => call.startsWith('classify'))).toEqual(['classify:local']);
    expect(llmCalls()).toBe(1);

    const sure = await runCascade(
      scriptedAi({ local: 0.9, llm: 0.95 }),
      context,
      'It crashed.',
      categories,
      cascade,
    );
    expect(sure.trace.slice(0, 3).map((step) => step.status)).toEqual(['handed_over', 'accepted', 'skipped']);
    expect(sure.costUsd).toBe(0);
    expect(llmCalls()).toBe(0);
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
    llmFails = true;
    const error = await runCascade(ai, context, 'x', categories, cascade).catch((caught) => caught);
    expect(error).toBeInstanceOf(CascadeError);
    expect((error as CascadeError).message).toBe('stage 2 failed: The AI provider failed to answer');
    expect((error as CascadeError).trace[2]).toMatchObject({ type: 'llm', status: 'failed', provider: null });
    expect((error as CascadeError).trace.map((step) => step?.status)).toEqual([
      'handed_over',
      'handed_over',
      'failed',
      'completed',
      'completed',
    ]);
  });
});
