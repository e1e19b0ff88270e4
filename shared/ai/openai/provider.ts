import OpenAI from 'openai';
import { type AiBotConfiguration, botConfigurationFor } from '../bot-configuration.ts';
import type { OpenAiConfig } from '../config.ts';
import type { AiProvider, ProviderCall, ProviderResult } from '../provider.ts';
import { groupTargets, speakersOf } from '../transcript.ts';
import {
  type AnalysisResult,
  AnalysisResultSchema,
  type ClassifyResult,
  ClassifyResultSchema,
  type Entity,
  type SentimentResult,
  SentimentResultSchema,
  type SentimentScores,
  type TargetedSentiment,
  TargetedSentimentSchema,
} from '../types.ts';
import {
  AnalysisAnswer,
  analyzePrompt,
  BotChoicesAnswer,
  botPrompt,
  classifyPrompt,
  classifySchema,
  EntitiesAnswer,
  entitiesPrompt,
  SentimentAnswer,
  sentimentPrompt,
  targetedPrompt,
  targetedSchema,
} from './prompts.ts';
import { DEFAULT_RETRY_POLICY, type RetryDeps } from './retry.ts';
import { completeStructured, type StructuredCall, type StructuredSettings } from './structured.ts';
import { locateEntities, locateMentions, splitSentences } from './text.ts';

// Sentence-level sentiment beyond this many sentences would cost more than it tells.
const MAX_SENTENCES = 200;

export interface OpenAiProviderOptions extends Pick<RetryDeps, 'sleep' | 'random' | 'onRetry'> {
  /** Replaces the SDK's fetch (tests). */
  fetch?: typeof fetch;
}

/** The model's four label scores rescaled to sum to 1 (uniform when it gave all zeros). */
function normaliseScores(scores: SentimentScores): SentimentScores {
  const total = scores.positive + scores.negative + scores.neutral + scores.mixed;
  if (total <= 0) return { positive: 0.25, negative: 0.25, neutral: 0.25, mixed: 0.25 };
  return {
    positive: scores.positive / total,
    negative: scores.negative / total,
    neutral: scores.neutral / total,
    mixed: scores.mixed / total,
  };
}

/** True when the base URL is not OpenAI's own API (Ollama, vLLM, llama.cpp and other compatible servers). */
function isCompatibleServer(baseUrl: string | undefined): boolean {
  return baseUrl !== undefined && new URL(baseUrl).hostname !== 'api.openai.com';
}

/** The OpenAI provider: the official SDK (its own retries off), strict structured outputs validated by zod. */
export function createOpenAiProvider(config: OpenAiConfig, options: OpenAiProviderOptions = {}): AiProvider {
  const client = new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseUrl,
    timeout: config.timeoutMs,
    // Retries are ours (./retry.ts): Retry-After honoured as sent, typed errors, usage kept across attempts.
    maxRetries: 0,
    fetch: options.fetch,
  });
  const settings: StructuredSettings = {
    model: config.model,
    maxTokens: config.maxTokens,
    compatibleServer: isCompatibleServer(config.baseUrl),
    retry: { ...DEFAULT_RETRY_POLICY, maxRetries: config.maxRetries },
    secrets: [config.apiKey],
  };

  async function ask<T, R>(
    call: StructuredCall<T>,
    map: (answer: T) => R,
    { signal, onRetry: told, gate }: ProviderCall,
  ): Promise<ProviderResult<R>> {
    const { sleep, random } = options;
    const onRetry: RetryDeps['onRetry'] = (info) => {
      options.onRetry?.(info);
      told?.(info);
    };
    const answer = await completeStructured(client, settings, call, { sleep, random, onRetry, signal, gate });
    return { data: map(answer.data), usage: answer.usage, model: answer.model, provider: 'openai' };
  }

  return {
    name: 'openai',
    model: config.model,
    remote: true,

    classify({ text, categories }, call: ProviderCall = {}) {
      return ask(
        { name: 'classification', schema: classifySchema(categories), ...classifyPrompt(text, categories) },
        (answer): ClassifyResult => {
          const alternatives = new Map<string, number>();
          for (const alternative of answer.alternatives) {
            if (alternative.category === answer.category) continue;
            alternatives.set(
              alternative.category,
              Math.max(alternatives.get(alternative.category) ?? 0, alternative.confidence),
            );
          }
          return ClassifyResultSchema.parse({
            category: answer.category,
            confidence: answer.confidence,
            alternatives: [...alternatives]
              .map(([category, confidence]) => ({ category, confidence }))
              .sort((a, b) => b.confidence - a.confidence),
            reasoning: answer.reasoning,
          });
        },
        call,
      );
    },

    sentiment({ text }, call: ProviderCall = {}) {
      const sentences = splitSentences(text).slice(0, MAX_SENTENCES);
      const schema = SentimentAnswer.refine(
        (answer) =>
          new Set(answer.sentences.map((s) => s.index)).size === sentences.length &&
          answer.sentences.every((s) => s.index < sentences.length),
        { message: `one entry for each of the ${sentences.length} sentences`, path: ['sentences'] },
      );
      return ask(
        { name: 'sentiment', schema, ...sentimentPrompt(sentences) },
        (answer): SentimentResult => {
          const byIndex = new Map(answer.sentences.map((s) => [s.index, s]));
          return SentimentResultSchema.parse({
            label: answer.label,
            score: answer.score,
            scores: normaliseScores(answer.scores),
            sentences: sentences.map((sentence, index) => ({
              ...sentence,
              label: byIndex.get(index)!.label,
              score: byIndex.get(index)!.score,
            })),
          });
        },
        call,
      );
    },

    targetedSentiment(transcript, call: ProviderCall = {}) {
      const counts = speakersOf(transcript);
      const names = [...counts.keys()];
      const segments = transcript.utterances.map((u) => ({
        speaker: u.speaker,
        text: transcript.text.slice(u.start, u.end),
      }));
      const schema = targetedSchema(names)
        .refine((answer) => new Set(answer.speakers.map((s) => s.speaker)).size === names.length, {
          message: `one entry for each of the ${names.length} speakers`,
          path: ['speakers'],
        })
        .refine((answer) => answer.mentions.every((m) => m.segment < segments.length), {
          message: `segment indexes are below ${segments.length}`,
          path: ['mentions'],
        });
      return ask(
        { name: 'targeted_sentiment', schema, ...targetedPrompt(segments, names) },
        (answer): TargetedSentiment => {
          const bySpeaker = new Map(answer.speakers.map((s) => [s.speaker, s]));
          // Offsets are found in the transcript, never taken from the model.
          const mentions = locateMentions(transcript, answer.mentions).map((m) => ({
            text: m.text,
            type: m.type,
            start: m.start,
            end: m.end,
            segment: m.segment,
            speaker: transcript.utterances[m.segment]!.speaker,
            label: m.label,
            scores: normaliseScores(m.scores),
          }));
          return TargetedSentimentSchema.parse({
            speakers: names.map((speaker) => {
              const rated = bySpeaker.get(speaker)!;
              return {
                speaker,
                utterances: counts.get(speaker)!,
                label: rated.label,
                score: rated.score,
                scores: normaliseScores(rated.scores),
              };
            }),
            targets: groupTargets(mentions),
          });
        },
        call,
      );
    },

    entities({ text }, call: ProviderCall = {}) {
      return ask(
        { name: 'entities', schema: EntitiesAnswer, ...entitiesPrompt(text) },
        (answer): { entities: Entity[] } => ({ entities: locateEntities(text, answer.entities) }),
        call,
      );
    },

    analyze({ text }, call: ProviderCall = {}) {
      return ask(
        { name: 'analysis', schema: AnalysisAnswer, ...analyzePrompt(text) },
        (answer): AnalysisResult => AnalysisResultSchema.parse(answer),
        call,
      );
    },

    botConfiguration({ meeting, meetingId }, call: ProviderCall = {}) {
      return ask(
        { name: 'bot_configuration', schema: BotChoicesAnswer, ...botPrompt(meeting) },
        (answer): AiBotConfiguration =>
          botConfigurationFor(meeting, { meetingId, source: `openai:${config.model}`, choices: answer }),
        call,
      );
    },
  };
}
