// One interface for every AI provider (OpenAI or a compatible server, and the offline local models).
import type { AiBotConfiguration, AiMeetingContext } from './bot-configuration.ts';
import type { Usage } from './errors.ts';
import type {
  AnalysisResult,
  Category,
  ClassifyResult,
  Entity,
  SentimentResult,
  TargetedSentiment,
  Transcript,
} from './types.ts';

export type ProviderName = 'openai' | 'local';

/** The operations logged in `ai_processing_logs.operation`. */
export type AiOperation =
  | 'classify'
  | 'sentiment'
  | 'targeted_sentiment'
  | 'entities'
  | 'analyze'
  | 'bot_configuration';

/** A provider's answer with what it cost in tokens and who answered. */
export interface ProviderResult<T> {
  data: T;
  usage: Usage;
  model: string;
  provider: ProviderName;
}

/**
 * Paces every HTTP attempt of a remote provider (retries included): `before` resolves when the attempt may
 * start (the shared pace, a concurrency slot, any 429 block) or throws `AiRateLimitedError` past the caller's
 * patience; `after` ends the attempt; `rateLimited` tells every caller of every instance about a 429.
 */
export interface ProviderGate {
  before(signal?: AbortSignal): Promise<void>;
  after(): void;
  /** True when every caller now waits (the block is shared); false when the caller must wait itself. */
  rateLimited(retryAfterMs: number): Promise<boolean>;
}

export interface ProviderCall {
  signal?: AbortSignal;
  /** Told before each retry of a transient failure (rate limit, 5xx, connection), with the wait. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  gate?: ProviderGate;
}

/** The meeting to configure a bot for, and its row id when it came from `meetings`. */
export interface BotConfigurationInput {
  meeting: AiMeetingContext;
  meetingId?: string;
}

export interface AiProvider {
  readonly name: ProviderName;
  readonly model: string;
  /** Its calls cost money and count against the provider's shared limits: they are cached and rate limited. */
  readonly remote: boolean;
  classify(
    input: { text: string; categories: Category[] },
    call?: ProviderCall,
  ): Promise<ProviderResult<ClassifyResult>>;
  sentiment(input: { text: string }, call?: ProviderCall): Promise<ProviderResult<SentimentResult>>;
  /** Each speaker's and each entity mention's sentiment; offsets index `transcript.text`, found locally. */
  targetedSentiment(transcript: Transcript, call?: ProviderCall): Promise<ProviderResult<TargetedSentiment>>;
  entities(input: { text: string }, call?: ProviderCall): Promise<ProviderResult<{ entities: Entity[] }>>;
  analyze(input: { text: string }, call?: ProviderCall): Promise<ProviderResult<AnalysisResult>>;
  botConfiguration(
    input: BotConfigurationInput,
    call?: ProviderCall,
  ): Promise<ProviderResult<AiBotConfiguration>>;
}
