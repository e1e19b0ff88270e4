import { z } from 'zod';

// Supabase and shells hand unset secrets over as empty strings; treat them as unset.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** The environment variables of the AI service (a part of the backend's EnvSchema). */
export const AiEnvSchema = z.object({
  AI_PROVIDER: optional(z.enum(['auto', 'openai', 'local'])),
  OPENAI_API_KEY: optional(z.string().min(1)),
  OPENAI_MODEL: optional(z.string().min(1).max(200)),
  OPENAI_MAX_TOKENS: optional(z.coerce.number().int().min(16).max(128_000)),
  OPENAI_BASE_URL: optional(z.string().url()),
  OPENAI_TIMEOUT_MS: optional(z.coerce.number().int().min(100).max(600_000)),
  OPENAI_MAX_RETRIES: optional(z.coerce.number().int().min(0).max(10)),
  AI_RATE_LIMIT_RPM: optional(z.coerce.number().int().min(1)),
  AI_RATE_LIMIT_TPM: optional(z.coerce.number().int().min(1)),
  AI_RATE_LIMIT_MAX_WAIT_MS: optional(z.coerce.number().int().min(0).max(600_000)),
  AI_MAX_CONCURRENCY: optional(z.coerce.number().int().min(1).max(1_000)),
  AI_CACHE_TTL_SECONDS: optional(z.coerce.number().int().min(0)),
  AI_LOCAL_THREADS: optional(z.coerce.number().int().min(0).max(64)),
});
export type AiEnv = z.infer<typeof AiEnvSchema>;

/** Pricing data (@pydantic/genai-prices) knows it, it has structured outputs, and it is among the cheapest. */
export const DEFAULT_OPENAI_MODEL = 'gpt-4.1-mini';

export interface OpenAiConfig {
  /** A placeholder when a compatible server needs no key (it is never logged either way). */
  apiKey: string;
  model: string;
  maxTokens: number;
  baseUrl: string | undefined;
  timeoutMs: number;
  maxRetries: number;
}

export interface AiConfig {
  provider: 'openai' | 'local';
  openai: OpenAiConfig | undefined;
  rateLimit: {
    requestsPerMinute: number;
    tokensPerMinute: number;
    maxWaitMs: number;
    /** Calls this process has at a remote provider at once, waiting for their start included. */
    maxConcurrency: number;
  };
  /** 0 turns the result cache off. */
  cacheTtlSeconds: number;
  /**
   * Worker threads the offline models run on under Node (0: inline on the event loop, as on the Edge, which has
   * no workers); unset: one per CPU but one, at least 1 and at most 4.
   */
  localThreads: number | undefined;
}

/** Resolves `AI_PROVIDER` (auto: OpenAI when a key or a compatible server is configured, else local). */
export function aiConfigFrom(env: AiEnv): AiConfig {
  const wanted = env.AI_PROVIDER ?? 'auto';
  const openAiConfigured = Boolean(env.OPENAI_API_KEY);
  if (wanted === 'openai' && !env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) {
    throw new Error('AI_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a compatible server)');
  }
  const provider = wanted === 'auto' ? (openAiConfigured ? 'openai' : 'local') : wanted;
  return {
    provider,
    openai:
      provider === 'openai'
        ? {
            apiKey: env.OPENAI_API_KEY ?? 'no-key-needed',
            model: env.OPENAI_MODEL ?? DEFAULT_OPENAI_MODEL,
            maxTokens: env.OPENAI_MAX_TOKENS ?? 2_000,
            baseUrl: env.OPENAI_BASE_URL,
            timeoutMs: env.OPENAI_TIMEOUT_MS ?? 30_000,
            maxRetries: env.OPENAI_MAX_RETRIES ?? 3,
          }
        : undefined,
    rateLimit: {
      // OpenAI's lowest paid tier for the mini models; raise them to the account's real limits.
      requestsPerMinute: env.AI_RATE_LIMIT_RPM ?? 500,
      tokensPerMinute: env.AI_RATE_LIMIT_TPM ?? 200_000,
      maxWaitMs: env.AI_RATE_LIMIT_MAX_WAIT_MS ?? 10_000,
      // Enough to keep the pace with calls of up to 4 s each (at 500 rpm, 34); each slot waits for its start in
      // turn, so more would only queue reservations further ahead.
      maxConcurrency:
        env.AI_MAX_CONCURRENCY ?? Math.max(4, Math.ceil(((env.AI_RATE_LIMIT_RPM ?? 500) / 60) * 4)),
    },
    cacheTtlSeconds: env.AI_CACHE_TTL_SECONDS ?? 30 * 24 * 3600,
    localThreads: env.AI_LOCAL_THREADS,
  };
}

/** The AI configuration alone, for tools that run without a database (the command line). */
export function loadAiConfig(raw: Record<string, string | undefined>): AiConfig {
  const parsed = AiEnvSchema.safeParse(raw);
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`Invalid environment: check ${names}`);
  }
  return aiConfigFrom(parsed.data);
}
