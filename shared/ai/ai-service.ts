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

  return {
    defaultProvider,
    providers: [...pipelines.keys()],
    classify(input, context) {
      const { provider, run } = pick(context);
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
    sentiment(input, context) {
      const { provider, run } = pick(context);
      return run(
        {
          operation: 'sentiment',
          input,
          schema: SentimentResultSchema,
          promptChars: input.text.length,
          invoke: (call) => provider.sentiment(input, call),
        },
        context,
      );
    },
    entities(input, context) {
      const { provider, run } = pick(context);
      return run(
        {
          operation: 'entities',
          input,
          schema: EntitiesResultSchema,
          promptChars: input.text.length,
          invoke: (call) => provider.entities(input, call),
        },
        context,
      );
    },
    analyze(input, context) {
      const { provider, run } = pick(context);
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
    botConfiguration(input, context) {
      const { provider, run } = pick(context);
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
