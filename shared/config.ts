import { z } from 'zod';
import { type AiConfig, AiEnvSchema, aiConfigFrom } from './ai/config.ts';
import { type OpsConfig, OpsEnvSchema, opsConfigFrom } from './ops/config.ts';

/** The environment variables the backend reads; every one is optional so the local stack runs with none. */
const EnvSchema = z.object({
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
  DB_WORK_POOL_MAX: z.coerce.number().int().min(1).max(100).optional(),
  DB_WORK_POOL_TIMEOUT_MS: z.coerce.number().int().min(1).max(300_000).optional(),
  ATTENDEE_API_KEY: z.string().optional(),
  // An unset secret often arrives as an empty string: treat it as unset rather than an invalid URL.
  ATTENDEE_BASE_URL: z.preprocess((value) => (value === '' ? undefined : value), z.string().url().optional()),
  ATTENDEE_WEBHOOK_SECRET: z.string().optional(),
  WEBHOOK_ALLOWED_HOSTS: z.string().optional(),
  JWT_ISSUER: z.string().url().optional(),
  // Drains without a worker (hosted Supabase, LOCAL_WORKER=false): see shared/jobs/background.ts.
  JOB_DRAIN_ON_SEND: z.enum(['true', 'false']).optional(),
  JOB_DRAIN_URL: z.preprocess((value) => (value === '' ? undefined : value), z.string().url().optional()),
  SUPABASE_SERVICE_ROLE_KEY: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().optional(),
  ),
  JOB_DRAIN_WALL_MS: z.coerce.number().int().min(1000).max(120_000).optional(),
  JOB_DRAIN_CPU_MS: z.coerce.number().int().min(10).max(1900).optional(),
  JOB_DRAIN_MEMORY_MB: z.coerce.number().int().min(16).max(240).optional(),
});

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
  /**
   * The pool of background work (job handlers: batches, workflows, bots), apart from the requests' pool so one
   * heavy user's batch cannot take the connections interactive requests need (DB_WORK_POOL_MAX, default 3), and
   * how long a job waits for one of its connections (DB_WORK_POOL_TIMEOUT_MS, default 30 s).
   */
  dbWorkPoolMax: number;
  dbWorkPoolTimeoutMs: number;
  /** The AI provider (AI_PROVIDER, OPENAI_*), its rate limits and the result cache. */
  ai: AiConfig;
  /** Per-user request limits and AI budget, body size limits, alert thresholds, log retention. */
  ops: OpsConfig;
  /** Workflow webhook hosts allowed although private (lower-case names or IP addresses). */
  webhookAllowedHosts: string[];
  /** The Attendee meeting-bot API; without a key bots are decided and recorded as not sent. */
  attendee: { apiKey: string | undefined; baseUrl: string; webhookSecret: string | undefined };
  /** Background drains, where no worker runs. */
  jobs: JobDrainConfig;
}

interface JobDrainConfig {
  /**
   * Start a drain in the background of every request that sent jobs (JOB_DRAIN_ON_SEND; on by default under
   * Supabase's Edge Runtime, off under Node, where a worker usually runs).
   */
  drainOnSend: boolean | undefined;
  /** The jobs function a drain hands over to (JOB_DRAIN_URL, default SUPABASE_URL/functions/v1/jobs). */
  drainUrl: string | undefined;
  /** The key a drain calls the jobs function with (SUPABASE_SERVICE_ROLE_KEY, which Supabase provides). */
  serviceRoleKey: string | undefined;
  /** Wall clock of one background drain (JOB_DRAIN_WALL_MS). */
  wallMs: number;
  /** CPU one drain may use before it stops taking work and hands over (JOB_DRAIN_CPU_MS; Edge allows 2,000). */
  cpuMs: number;
  /** Heap above which a drain stops taking work (JOB_DRAIN_MEMORY_MB; Edge allows 256). */
  memoryMb: number;
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
    dbWorkPoolMax: env.DB_WORK_POOL_MAX ?? 3,
    dbWorkPoolTimeoutMs: env.DB_WORK_POOL_TIMEOUT_MS ?? 30_000,
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
    jobs: {
      drainOnSend: env.JOB_DRAIN_ON_SEND === undefined ? undefined : env.JOB_DRAIN_ON_SEND === 'true',
      drainUrl: env.JOB_DRAIN_URL ?? (env.SUPABASE_URL ? `${env.SUPABASE_URL}/functions/v1/jobs` : undefined),
      serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY,
      wallMs: env.JOB_DRAIN_WALL_MS ?? 100_000,
      cpuMs: env.JOB_DRAIN_CPU_MS ?? 1500,
      memoryMb: env.JOB_DRAIN_MEMORY_MB ?? 150,
    },
  };
}
