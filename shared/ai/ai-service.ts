// The AI service's operations over the pipeline (cache, limiter, provider, cost, log), for routes, workers and
// the other services. A call may ask for a provider by name; otherwise the configured one (AI_PROVIDER) answers.
import { z } from 'zod';
import { AppError } from '../http/errors.ts';
import type { Logger } from '../http/logger.ts';
import { type AiBotConfiguration, AiBotConfigurationSchema } from './bot-configuration.ts';
import type { AiConfig } from './config.ts';
import { createLocalProvider } from './local-provider.ts';
import { createOpenAiProvider } from './openai/provider.ts';
import {
  type AiOutcome,
  type CallContext,
  createPipeline,
  type Pipeline,
  type PipelineDeps,
} from './pipeline.ts';
import type { AiProvider, BotConfigurationInput, ProviderName } from './provider.ts';
import { logRedaction, maskSpeakers, maskTexts } from './redaction.ts';
import type { AiStore } from './store.ts';
import { speakersOf, type TranscriptSegment, transcriptOfSegments, transcriptOfText } from './transcript.ts';
import {
  type AnalysisResult,
  AnalysisResultSchema,
  type Category,
  type ClassifyResult,
  ClassifyResultSchema,
  type Entity,
  EntitySchema,
  type SentimentResult,
  SentimentResultSchema,
  type TargetedSentiment,
  TargetedSentimentSchema,
  type TextModels,
  type Transcript,
} from './types.ts';

const EntitiesResultSchema = z.object({ entities: z.array(EntitySchema) });

/**
 * What to rate: a text, or a transcript's segments (rated as their texts joined by line breaks). Speakers and
 * targets come with a transcript (segments, or a text of `Name: text` lines) unless `targets` is false; `true`
 * asks for targets of any text.
 */
interface SentimentInput {
  text?: string;
  segments?: readonly TranscriptSegment[];
  targets?: boolean;
}

/** A call's context plus, optionally, which provider should answer it. */
export interface AiCallContext extends CallContext {
  provider?: ProviderName;
}

export interface AiService {
  /** The provider that answers when a call names none. */
  readonly defaultProvider: ProviderName;
  /** The providers this deployment can use. */
  readonly providers: readonly ProviderName[];
  classify(
    input: { text: string; categories: Category[] },
    context: AiCallContext,
  ): Promise<AiOutcome<ClassifyResult>>;
  sentiment(input: SentimentInput, context: AiCallContext): Promise<AiOutcome<SentimentResult>>;
  entities(input: { text: string }, context: AiCallContext): Promise<AiOutcome<{ entities: Entity[] }>>;
  analyze(input: { text: string }, context: AiCallContext): Promise<AiOutcome<AnalysisResult>>;
  botConfiguration(
    input: BotConfigurationInput,
    context: AiCallContext,
  ): Promise<AiOutcome<AiBotConfiguration>>;
}

export interface AiServiceDeps {
  config: AiConfig;
  store: AiStore;
  logger: Logger;
  /** The offline models (`createLocalModels()`). */
  localModels: TextModels;
  /** Replaces the OpenAI provider built from `config.openai` (tests). */
  openai?: AiProvider;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The daily cost budget check (shared/ops/budget.ts), run before every paid provider call. */
  budgetGuard?: PipelineDeps['budgetGuard'];
}

/** Builds the AI service: the local provider always, OpenAI when configured. */
export function createAiService(deps: AiServiceDeps): AiService {
  const pipelines = new Map<ProviderName, { provider: AiProvider; run: Pipeline }>();
  const add = (provider: AiProvider) =>
    pipelines.set(provider.name, {
      provider,
      run: createPipeline({
        provider,
        store: deps.store,
        config: deps.config,
        logger: deps.logger,
        sleep: deps.sleep,
        budgetGuard: deps.budgetGuard,
      }),
    });
  add(createLocalProvider(deps.localModels));
  const openai = deps.openai ?? (deps.config.openai ? createOpenAiProvider(deps.config.openai) : undefined);
  if (openai) add(openai);
  const defaultProvider = deps.config.provider === 'openai' && openai ? 'openai' : 'local';

  function pick(context: AiCallContext) {
    const name = context.provider ?? defaultProvider;
    const entry = pipelines.get(name);
    if (!entry) throw new AppError(400, 'provider_unavailable', `The ${name} provider is not configured`);
    return entry;
  }

  /** Whether this call's texts are masked before they leave (user_ai_settings.redact_pii_before_provider). */
  async function redacts(provider: AiProvider, context: AiCallContext): Promise<boolean> {
    if (!provider.remote || !context.userId) return false;
    return deps.store.redactsPiiBeforeProvider(context.userId);
  }

  /**
   * The texts as they may leave for this provider: masked when it is external and the caller asked for PII to be
   * redacted first; as they are otherwise.
   */
  async function outgoing<T extends readonly string[]>(
    provider: AiProvider,
    context: AiCallContext,
    operation: string,
    texts: T,
  ): Promise<T> {
    if (!(await redacts(provider, context))) return texts;
    const masked = maskTexts(texts);
    logRedaction(deps.logger, {
      operation,
      provider: provider.name,
      requestId: context.requestId ?? undefined,
      counts: masked.counts,
    });
    return masked.texts as unknown as T;
  }

  /** The document's sentiment; masking keeps lengths, so sentence offsets are the caller's and texts are read back. */
  async function documentSentiment(
    provider: AiProvider,
    run: Pipeline,
    original: string,
    transcript: Transcript | undefined,
    context: AiCallContext,
  ): Promise<AiOutcome<SentimentResult>> {
    let [text] = await outgoing(provider, context, 'sentiment', [original]);
    if (transcript && (await redacts(provider, context))) {
      text = maskSpeakers(text!, [...speakersOf(transcript).keys()]).text;
    }
    const input = { text: text! };
    const outcome = await run(
      {
        operation: 'sentiment',
        input,
        schema: SentimentResultSchema,
        promptChars: input.text.length,
        invoke: (call) => provider.sentiment(input, call),
      },
      context,
    );
    if (text === original) return outcome;
    const sentences = outcome.result.sentences.map((s) => ({ ...s, text: original.slice(s.start, s.end) }));
    return { ...outcome, result: { ...outcome.result, sentences } };
  }

  /**
   * Speakers' and mentions' sentiment. With redaction on, the provider sees the text masked, every speaker's name
   * masked wherever it appears in it, and the speakers as "Speaker 1", "Speaker 2", ...: the answer is mapped
   * back to the caller's names and texts, and mentions of masked text are dropped.
   */
  async function targetedSentiment(
    provider: AiProvider,
    run: Pipeline,
    transcript: Transcript,
    context: AiCallContext,
  ): Promise<AiOutcome<TargetedSentiment>> {
    const names = [...speakersOf(transcript).keys()];
    const redacting = await redacts(provider, context);
    let input = transcript;
    const aliases = new Map(names.map((name, index) => [name, `Speaker ${index + 1}`]));
    if (redacting) {
      const masked = maskTexts([transcript.text] as const);
      const named = maskSpeakers(masked.texts[0], names);
      logRedaction(deps.logger, {
        operation: 'targeted_sentiment',
        provider: provider.name,
        requestId: context.requestId ?? undefined,
        counts: { ...masked.counts, person: masked.counts.person + named.count },
      });
      input = {
        text: named.text,
        utterances: transcript.utterances.map((u) => ({
          ...u,
          speaker: u.speaker === null ? null : aliases.get(u.speaker)!,
        })),
      };
    }
    const outcome = await run(
      {
        operation: 'targeted_sentiment',
        input,
        schema: TargetedSentimentSchema,
        promptChars: input.text.length,
        invoke: (call) => provider.targetedSentiment(input, call),
      },
      context,
    );
    if (!redacting) return outcome;
    const real = new Map([...aliases].map(([name, alias]) => [alias, name]));
    const speaker = (alias: string | null) => (alias === null ? null : (real.get(alias) ?? alias));
    const targets = outcome.result.targets
      .map((target) => {
        const mentions = target.mentions
          .filter((m) => !/^\*+$/.test(input.text.slice(m.start, m.end)))
          .map((m) => ({ ...m, text: transcript.text.slice(m.start, m.end), speaker: speaker(m.speaker) }));
        return { ...target, text: mentions[0]?.text ?? target.text, mentions };
      })
      .filter((target) => target.mentions.length > 0);
    return {
      ...outcome,
      result: {
        speakers: outcome.result.speakers.map((s) => ({ ...s, speaker: speaker(s.speaker)! })),
        targets,
      },
    };
  }

  return {
    defaultProvider,
    providers: [...pipelines.keys()],
    async classify(original, context) {
      const { provider, run } = pick(context);
      const parts = original.categories.map((c) => [c.description ?? '', ...(c.examples ?? [])]);
      const [text, ...flat] = await outgoing(provider, context, 'classify', [original.text, ...parts.flat()]);
      let at = 0;
      const categories = original.categories.map((c, i) => {
        const [description, ...examples] = flat.slice(at, at + parts[i]!.length);
        at += parts[i]!.length;
        return {
          ...c,
          ...(c.description === undefined ? {} : { description }),
          ...(c.examples === undefined ? {} : { examples }),
        };
      });
      const input = { text: text!, categories };
      return run(
        {
          operation: 'classify',
          input,
          schema: ClassifyResultSchema,
          promptChars: input.text.length + JSON.stringify(input.categories).length,
          invoke: (call) => provider.classify(input, call),
        },
        context,
      );
    },
    async sentiment(original, context) {
      const { provider, run } = pick(context);
      const transcript = original.segments
        ? transcriptOfSegments(original.segments)
        : original.targets === false
          ? undefined
          : transcriptOfText(original.text ?? '', original.targets === true);
      const document = transcript?.text ?? original.text ?? '';
      // Both calls end before the answer, a failed one's error answering: none outlives its request.
      const [rated, aimed] = await Promise.allSettled([
        documentSentiment(provider, run, document, transcript, context),
        transcript && original.targets !== false
          ? targetedSentiment(provider, run, transcript, context)
          : undefined,
      ]);
      if (rated.status === 'rejected') throw rated.reason;
      if (aimed.status === 'rejected') throw aimed.reason;
      const outcome = rated.value;
      const targeted = aimed.value;
      if (!targeted) return outcome;
      return {
        ...outcome,
        result: { ...outcome.result, speakers: targeted.result.speakers, targets: targeted.result.targets },
        cached: outcome.cached && targeted.cached,
        usage: {
          tokensIn: outcome.usage.tokensIn + targeted.usage.tokensIn,
          tokensOut: outcome.usage.tokensOut + targeted.usage.tokensOut,
          cachedTokensIn: (outcome.usage.cachedTokensIn ?? 0) + (targeted.usage.cachedTokensIn ?? 0),
        },
        costUsd: outcome.costUsd + targeted.costUsd,
        latencyMs: Math.max(outcome.latencyMs, targeted.latencyMs),
      };
    },
    async entities(original, context) {
      const { provider, run } = pick(context);
      const [text] = await outgoing(provider, context, 'entities', [original.text]);
      const input = { text: text! };
      const outcome = await run(
        {
          operation: 'entities',
          input,
          schema: EntitiesResultSchema,
          promptChars: input.text.length,
          invoke: (call) => provider.entities(input, call),
        },
        context,
      );
      if (text === original.text) return outcome;
      // Names the provider could not see (masked) are not entities it found.
      const entities = outcome.result.entities
        .filter((e) => !/^\*+$/.test(e.text))
        .map((e) => ({ ...e, text: original.text.slice(e.start, e.end) }));
      return { ...outcome, result: { entities } };
    },
    async analyze(original, context) {
      const { provider, run } = pick(context);
      const [text] = await outgoing(provider, context, 'analyze', [original.text]);
      const input = { text: text! };
      return run(
        {
          operation: 'analyze',
          input,
          schema: AnalysisResultSchema,
          promptChars: input.text.length,
          invoke: (call) => provider.analyze(input, call),
        },
        context,
      );
    },
    async botConfiguration(original, context) {
      const { provider, run } = pick(context);
      const { title, description } = original.meeting;
      const [maskedTitle, maskedDescription] = await outgoing(provider, context, 'bot_configuration', [
        title,
        description ?? '',
      ]);
      const meeting = {
        ...original.meeting,
        title: maskedTitle!,
        ...(description ? { description: maskedDescription } : {}),
      };
      const input = { ...original, meeting };
      return run(
        {
          operation: 'bot_configuration',
          input,
          schema: AiBotConfigurationSchema,
          promptChars: JSON.stringify(input.meeting).length,
          invoke: (call) => provider.botConfiguration(input, call),
        },
        context,
      );
    },
  };
}
