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
import { logRedaction, maskTexts } from './redaction.ts';
import type { AiStore } from './store.ts';
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
  type TextModels,
} from './types.ts';

export const EntitiesResultSchema = z.object({ entities: z.array(EntitySchema) });

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
  sentiment(input: { text: string }, context: AiCallContext): Promise<AiOutcome<SentimentResult>>;
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

  /**
   * The texts as they may leave for this provider: masked when it is external and the caller asked for PII to be
   * redacted first (user_ai_settings.redact_pii_before_provider); as they are otherwise.
   */
  async function outgoing<T extends readonly string[]>(
    provider: AiProvider,
    context: AiCallContext,
    operation: string,
    texts: T,
  ): Promise<T> {
    if (!provider.remote || !context.userId) return texts;
    if (!(await deps.store.redactsPiiBeforeProvider(context.userId))) return texts;
    const masked = maskTexts(texts);
    logRedaction(deps.logger, {
      operation,
      provider: provider.name,
      requestId: context.requestId ?? undefined,
      counts: masked.counts,
    });
    return masked.texts as unknown as T;
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
      const [text] = await outgoing(provider, context, 'sentiment', [original.text]);
      const input = { text: text! };
      // Masking keeps lengths, so the sentences' offsets are the caller's: their text is read back from it.
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
      if (text === original.text) return outcome;
      const sentences = outcome.result.sentences.map((s) => ({
        ...s,
        text: original.text.slice(s.start, s.end),
      }));
      return { ...outcome, result: { ...outcome.result, sentences } };
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
