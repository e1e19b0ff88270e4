import { z } from 'zod';
import { type AiConfig, AiEnvSchema, aiConfigFrom } from './ai/config.ts';
import { type OpsConfig, OpsEnvSchema, opsConfigFrom } from './ops/config.ts';

/** The environment variables the backend reads; every one is optional so the local stack runs with none. */
export const EnvSchema = z.object({
  ...AiEnvSchema.shape,
  ...OpsEnvSchema.shape,
  DATABASE_URL: z.string().optional(),
  SUPABASE_DB_URL: z.string().optional(),
  // Unset secrets often arrive as empty strings: treat them as unset.
  DATABASE_READ_URL: z.preprocess((value) => (value === '' ? undefined : value), z.string().optional()),
  SUPABASE_URL: z.string().url().optional(),
  SUPABASE_JWKS_URL: z.string().url().optional(),
  JWT_SECRET: z.string().min(32).optional(),
  SUPABASE_JWT_SECRET: z.string().min(32).optional(),
  CORS_ALLOWED_ORIGINS: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).optional(),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).optional(),
  DB_POOL_TIMEOUT_MS: z.coerce.number().int().min(1).max(120_000).optional(),
  ATTENDEE_API_KEY: z.string().optional(),
  // An unset secret often arrives as an empty string: treat it as unset rather than an invalid URL.
  ATTENDEE_BASE_URL: z.preprocess((value) => (value === '' ? undefined : value), z.string().url().optional()),
  ATTENDEE_WEBHOOK_SECRET: z.string().optional(),
  WEBHOOK_ALLOWED_HOSTS: z.string().optional(),
  JWT_ISSUER: z.string().url().optional(),
});
export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  databaseUrl: string;
  /** A read replica for reads that tolerate a little lag (metrics, alerts); unset means the primary. */
  databaseReadUrl: string | undefined;
  jwtSecret: string | undefined;
  jwksUrl: string | undefined;
  /** The issuer user tokens must name (JWT_ISSUER); unset: not checked. */
  jwtIssuer: string | undefined;
  corsOrigins: string[];
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  dbPoolMax: number;
  /** How long a request waits for a pooled connection before it gets 503 (DB_POOL_TIMEOUT_MS). */
  dbPoolTimeoutMs: number;
  /** The AI provider (AI_PROVIDER, OPENAI_*), its rate limits and the result cache. */
  ai: AiConfig;
  /** Per-user request limits and AI budget, body size limits, alert thresholds, log retention. */
  ops: OpsConfig;
  /** Workflow webhook hosts allowed although private (lower-case names or IP addresses). */
  webhookAllowedHosts: string[];
  /** The Attendee meeting-bot API; without a key bots are decided and recorded as not sent. */
  attendee: { apiKey: string | undefined; baseUrl: string; webhookSecret: string | undefined };
}

/** Builds the runtime configuration from an environment map (Deno.env or process.env, read only at entry points). */
export function loadConfig(raw: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`Invalid environment: check ${names}`);
  }
  const env = parsed.data;
  const databaseUrl = env.DATABASE_URL ?? env.SUPABASE_DB_URL;
  if (!databaseUrl)
    throw new Error('Set DATABASE_URL (or SUPABASE_DB_URL, which Supabase provides to functions)');
  const jwtSecret = env.JWT_SECRET ?? env.SUPABASE_JWT_SECRET;
  const jwksUrl =
    env.SUPABASE_JWKS_URL ??
    (env.SUPABASE_URL ? `${env.SUPABASE_URL}/auth/v1/.well-known/jwks.json` : undefined);
  if (!jwtSecret && !jwksUrl) throw new Error('Set JWT_SECRET or SUPABASE_URL so tokens can be verified');
  return {
    databaseUrl,
    databaseReadUrl: env.DATABASE_READ_URL,
    jwtSecret,
    jwksUrl,
    jwtIssuer: env.JWT_ISSUER,
    corsOrigins: (env.CORS_ALLOWED_ORIGINS ?? '*')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    logLevel: env.LOG_LEVEL ?? 'info',
    dbPoolMax: env.DB_POOL_MAX ?? 5,
    dbPoolTimeoutMs: env.DB_POOL_TIMEOUT_MS ?? 5_000,
    webhookAllowedHosts: (env.WEBHOOK_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((host) =>
        host
          .trim()
          .toLowerCase()
          .replace(/^\[(.*)\]$/, '$1'),
      )
      .filter(Boolean),
    ai: aiConfigFrom(env),
    ops: opsConfigFrom(env),
    attendee: {
      apiKey: env.ATTENDEE_API_KEY || undefined,
      baseUrl: env.ATTENDEE_BASE_URL ?? 'https://app.attendee.dev/api/v1',
      webhookSecret: env.ATTENDEE_WEBHOOK_SECRET || undefined,
    },
  };
}
