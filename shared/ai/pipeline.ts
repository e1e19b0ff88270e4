// The AI service: every operation goes through one pipeline — result cache, shared rate limiter, provider call,
// cost, log — whichever provider serves it. Routes, workers and other services call it; it returns data.
import type { z } from 'zod';
import { DatabaseUnavailableError, lostConnection, type Queryable } from '../db/database.ts';
import { AppError, unavailable } from '../http/errors.ts';
import type { Logger } from '../http/logger.ts';
import { cacheKey } from './cache-key.ts';
import type { AiConfig } from './config.ts';
import {
  AiError,
  AiInvalidOutputError,
  AiProviderError,
  AiRateLimitedError,
  NO_USAGE as NONE,
  scrub,
  type Usage,
} from './errors.ts';
import { sleep as defaultSleep } from './openai/retry.ts';
import { createPacer, type StepGate } from './pace.ts';
import { costUsd } from './pricing.ts';
import type { AiOperation, AiProvider, ProviderCall, ProviderResult } from './provider.ts';
import type { AiStore } from './store.ts';

/** Who a call is for: the user id from the verified token (null for work no user started), the request id. */
export interface CallContext {
  userId: string | null;
  requestId?: string | null;
  signal?: AbortSignal;
  /**
   * How long the call may keep waiting out rate limits (the shared limiter's, or the provider's 429 after its
   * own retries) before it fails as rate limited; background work sets it long, interactive calls leave it.
   * Waits that end in an answer are retries on the call's log row, not errors.
   */
  rateLimitPatienceMs?: number;
}

/** A served result and what it cost; `cached` results cost nothing this time. */
export interface AiOutcome<T> {
  result: T;
  provider: string;
  model: string;
  cached: boolean;
  usage: Usage;
  costUsd: number;
  latencyMs: number;
}

export interface PipelineDeps {
  provider: AiProvider;
  store: AiStore;
  config: AiConfig;
  logger: Logger;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  /**
   * Throws (429 `budget_exceeded`) when the user may not spend more today; runs before every paid call, in the
   * transaction that records the call as in flight.
   */
  budgetGuard?: (tx: Queryable, userId: string) => Promise<void>;
}

/** How long a paid call waits for the ledger (budget read and in-flight row) before it is refused with 503. */
const LEDGER_PATIENCE_MS = 20_000;
/** How long a call's log row is retried while the database is at capacity or away. */
const LOG_PATIENCE_MS = 5 * 60_000;

/**
 * The `rateLimitPatienceMs` of background work (jobs, workflow steps) that may run `boundSeconds` (its job's
 * expiry, its step's timeout): three quarters of it, at most 10 minutes, leaving the rest for the answer. Every
 * job and workflow step that calls the AI service passes it, so a rate limit that passes is a retry on the call's
 * one log row, not an error row per wait. Interactive requests pass none (they answer 429 with Retry-After).
 */
export function backgroundPatienceMs(boundSeconds: number): number {
  return Math.min(10 * 60_000, Math.floor(boundSeconds * 750));
}

// A failure that passes by itself: no connection to be had (pool full, server away), or the server shedding load.
function transient(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError || lostConnection(error)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['40001', '40P01', '53300', '57P03'].includes(code);
}

export interface Step<T> {
  operation: AiOperation;
  /** What the answer depends on (hashed into the cache key). */
  input: unknown;
  /** Validates a cached answer before it is served (a cache row never bypasses the schema). */
  schema: z.ZodType<T>;
  /** Rough size of the prompt, for the limiter's token estimate. */
  promptChars: number;
  invoke: (call: ProviderCall) => Promise<ProviderResult<T>>;
}

function plus(a: Usage, b: Usage): Usage {
  if (a === NONE) return b;
  return {
    tokensIn: a.tokensIn + b.tokensIn,
    tokensOut: a.tokensOut + b.tokensOut,
    cachedTokensIn: (a.cachedTokensIn ?? 0) + (b.cachedTokensIn ?? 0),
  };
}

/** Builds the pipeline every operation of the service runs through. */
export function createPipeline(deps: PipelineDeps) {
  const { provider, store, config, logger } = deps;
  const wait = deps.sleep ?? defaultSleep;
  const now = deps.now ?? (() => performance.now());
  const secrets = config.openai ? [config.openai.apiKey] : [];
  const inFlight = new Map<string, Promise<AiOutcome<unknown>>>();

  async function safely<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      logger.error(`ai ${what} failed`, { error: scrub(String(error), secrets) });
      return undefined;
    }
  }

  // Runs a ledger write until it succeeds, retrying transient failures with backoff for up to `patienceMs`.
  async function durably<T>(fn: () => Promise<T>, patienceMs: number): Promise<T> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        const delay = Math.min(2_000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2);
        if (!transient(error) || Date.now() - started + delay > patienceMs) throw error;
        await wait(delay);
      }
    }
  }

  const pacer = provider.remote
    ? createPacer({
        provider: provider.name,
        store,
        limits: config.rateLimit,
        maxConcurrency: config.rateLimit.maxConcurrency,
        sleep: wait,
        now,
        safely,
      })
    : undefined;

  // The tokens a call really spent beyond (or short of) what its reservations counted.
  const settleTokens = (gates: StepGate[], estimate: number, spent: number) => {
    const reserved = gates.reduce((sum, gate) => sum + gate.reservations, 0);
    if (reserved === 0) return undefined;
    return safely('rate adjust', () =>
      store.adjustCall(provider.name, spent - estimate * reserved, config.rateLimit),
    );
  };

  type Retries = { retries: number; waitMs: number };

  type LogFields = {
    status: 'success' | 'error' | 'cached';
    model: string;
    usage: Usage;
    cost: number;
    error?: AiError;
    retry?: Retries;
  };

  // One row in ai_processing_logs per call, whatever its outcome, retried while the database is at capacity;
  // the paid call's in-flight row (if any) goes in the same transaction. A row that still cannot be written
  // leaves the in-flight row, which the budget counts and settle_abandoned_ai_calls logs later (if it was sent).
  function logCall(step: Step<unknown>, context: CallContext, started: number, inFlight?: string) {
    return (fields: LogFields) =>
      safely('log', () =>
        durably(
          () =>
            store.log(
              {
                userId: context.userId,
                requestId: context.requestId ?? null,
                operation: step.operation,
                provider: provider.name,
                model: fields.model,
                tokensIn: fields.usage.tokensIn,
                tokensOut: fields.usage.tokensOut,
                costUsd: fields.cost,
                latencyMs: now() - started,
                status: fields.status,
                retries: fields.retry?.retries ?? 0,
                retryWaitMs: Math.round(fields.retry?.waitMs ?? 0),
                errorCode: fields.error?.reason ?? null,
                errorMessage: fields.error ? (fields.error.detail ?? fields.error.message) : null,
              },
              inFlight,
            ),
          LOG_PATIENCE_MS,
        ),
      );
  }

  const ledgerUnavailable = () =>
    unavailable(
      'The AI spend ledger cannot be read or written right now; no paid call was made; retry shortly',
      5,
    );

  // Records a paid call as in flight after the budget check, in one transaction, before it waits for the pacer.
  // Fails closed: a ledger that cannot be read or written refuses the call (503), never lets it go unaccounted.
  async function openCall(step: Step<unknown>, context: CallContext, tokensIn: number, tokensOut: number) {
    const usage = { tokensIn, tokensOut };
    const userId = context.userId;
    const guard = userId && deps.budgetGuard ? (tx: Queryable) => deps.budgetGuard!(tx, userId) : undefined;
    try {
      return await durably(
        () =>
          store.open(
            {
              userId,
              requestId: context.requestId ?? null,
              operation: step.operation,
              provider: provider.name,
              model: provider.model,
              ...usage,
              costUsd: costUsd(provider.name, provider.model, usage),
            },
            guard,
          ),
        LEDGER_PATIENCE_MS,
      );
    } catch (error) {
      if (error instanceof AppError && error.status !== 500) throw error;
      logger.error('ai ledger failed', { error: scrub(String(error), secrets) });
      throw ledgerUnavailable();
    }
  }

  // The pacer's gate, which also marks the open call as sent when it lets the call's first HTTP attempt go: a
  // process that dies before that leaves a row settle_abandoned_ai_calls deletes (nothing was asked), after it
  // one it logs as abandoned. Fails closed like openCall: an attempt whose mark cannot be written is not made.
  function sendingGate(paced: StepGate, ticket: string, state: { sent: boolean; refused?: AppError }) {
    return {
      get reservations() {
        return paced.reservations;
      },
      async before(signal?: AbortSignal) {
        await paced.before(signal);
        if (state.sent) return;
        let found = false;
        try {
          found = await durably(() => store.markSent(ticket), LEDGER_PATIENCE_MS);
        } catch (error) {
          logger.error('ai ledger failed', { error: scrub(String(error), secrets) });
        }
        if (!found) {
          paced.after();
          state.refused = ledgerUnavailable();
          throw state.refused;
        }
        state.sent = true;
      },
      after: () => paced.after(),
      rateLimited: (retryAfterMs: number) => paced.rateLimited(retryAfterMs),
    } satisfies StepGate;
  }

  async function execute<T>(
    step: Step<T>,
    context: CallContext,
    key: string | undefined,
  ): Promise<AiOutcome<T>> {
    const started = now();
    let log = logCall(step as Step<unknown>, context, started);

    if (key) {
      const hit = await safely('cache read', () => store.cacheGet(key, context.userId));
      const parsed = hit ? step.schema.safeParse(hit.result) : undefined;
      if (hit && parsed?.success) {
        await log({ status: 'cached', model: hit.model, usage: NONE, cost: 0 });
        return {
          result: parsed.data,
          provider: hit.provider,
          model: hit.model,
          cached: true,
          usage: NONE,
          costUsd: 0,
          latencyMs: Math.round(now() - started),
        };
      }
    }

    const promptTokens = Math.ceil(step.promptChars / 4);
    const answerTokens = config.openai?.maxTokens ?? 0;
    const estimate = provider.remote ? promptTokens + answerTokens : 0;
    // The gates of every round, for the token correction: each counted `estimate` per reserved start.
    const gates: StepGate[] = [];
    const retry: Retries = { retries: 0, waitMs: 0 };
    const patienceMs = context.rateLimitPatienceMs ?? 0;
    const giveUpAt = now() + patienceMs;
    // Usage of attempts that ended in a rate limit: paid for (if at all) by the call that finally answers.
    let earlier: Usage = NONE;
    let ticket: string | undefined;
    const sending: { sent: boolean; refused?: AppError } = { sent: false };
    if (provider.remote) {
      ticket = await openCall(step as Step<unknown>, context, promptTokens, answerTokens);
      log = logCall(step as Step<unknown>, context, started, ticket);
    }
    try {
      let answer: ProviderResult<T>;
      for (;;) {
        try {
          // Every attempt waits for its start at the shared pace, up to the call's patience.
          const paced = pacer?.gate(estimate, Math.max(config.rateLimit.maxWaitMs, giveUpAt - now()), retry);
          if (paced) gates.push(paced);
          const gate = paced && ticket !== undefined ? sendingGate(paced, ticket, sending) : paced;
          answer = await step.invoke({
            signal: context.signal,
            gate,
            onRetry: ({ delayMs }) => {
              retry.retries++;
              retry.waitMs += delayMs;
            },
          });
          answer.usage = plus(earlier, answer.usage);
          break;
        } catch (caught) {
          if (caught instanceof AiError) caught.usage = plus(earlier, caught.usage);
          // Told to wait, with patience left: wait as told and ask again; a retry, not an error.
          if (!(caught instanceof AiRateLimitedError) || now() + caught.retryAfterMs > giveUpAt) throw caught;
          earlier = caught.usage;
          retry.retries++;
          retry.waitMs += caught.retryAfterMs;
          await wait(caught.retryAfterMs, context.signal);
        }
      }
      // Whoever answered, nothing leaves the service (or reaches the cache) without passing the schema.
      const valid = step.schema.safeParse(answer.data);
      if (!valid.success) {
        const problems = valid.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
        throw new AiInvalidOutputError(
          `the ${provider.name} answer breaks the schema (${problems.join('; ')})`,
          answer.usage,
        );
      }
      answer.data = valid.data;
      await settleTokens(gates, estimate, answer.usage.tokensIn + answer.usage.tokensOut);
      const cost = costUsd(answer.provider, answer.model, answer.usage);
      await log({ status: 'success', model: answer.model, usage: answer.usage, cost, retry });
      if (key) {
        await safely('cache write', () =>
          store.cachePut(
            key,
            step.operation,
            {
              result: answer.data as Record<string, unknown>,
              provider: answer.provider,
              model: answer.model,
              tokensIn: answer.usage.tokensIn,
              tokensOut: answer.usage.tokensOut,
              costUsd: cost,
            },
            config.cacheTtlSeconds,
            context.userId,
          ),
        );
      }
      return {
        result: answer.data,
        provider: answer.provider,
        model: answer.model,
        cached: false,
        usage: answer.usage,
        costUsd: cost,
        latencyMs: Math.round(now() - started),
      };
    } catch (caught) {
      // Refused before it was sent (the provider may wrap the refusal): no log row, as when the call could not
      // be opened; the row is deleted now or, with the database away, by settle_abandoned_ai_calls.
      if (sending.refused && !sending.sent && ticket !== undefined) {
        await settleTokens(gates, estimate, 0);
        await safely('ledger discard', () => store.discard(ticket));
        throw sending.refused;
      }
      const error =
        caught instanceof AiError
          ? caught
          : new AiProviderError(
              'internal',
              scrub(caught instanceof Error ? caught.message : String(caught), secrets),
            );
      await settleTokens(gates, estimate, error.usage.tokensIn + error.usage.tokensOut);
      await log({
        status: 'error',
        model: provider.model,
        usage: error.usage,
        cost: costUsd(provider.name, provider.model, error.usage),
        error,
        retry,
      });
      throw error;
    }
  }

  /** Runs one operation: cached answer if there is one, else the provider, logged either way. */
  return async function run<T>(step: Step<T>, context: CallContext): Promise<AiOutcome<T>> {
    const key =
      provider.remote && config.cacheTtlSeconds > 0
        ? await cacheKey({
            operation: step.operation,
            provider: provider.name,
            model: provider.model,
            input: step.input,
          })
        : undefined;
    if (!key) return execute(step, context, undefined);
    // The same document asked for twice at once in this process is paid for once.
    const pending = inFlight.get(key) as Promise<AiOutcome<T>> | undefined;
    if (pending) {
      const started = now();
      const log = logCall(step as Step<unknown>, context, started);
      try {
        const outcome = await pending;
        const userId = context.userId;
        if (userId) await safely('cache owner', () => store.cacheOwn(key, userId));
        await log({ status: 'cached', model: outcome.model, usage: NONE, cost: 0 });
        return { ...outcome, cached: true, usage: NONE, costUsd: 0, latencyMs: Math.round(now() - started) };
      } catch (error) {
        // The call this one waited for failed (and logged its own cost); this caller gets its own error row.
        const failure = error instanceof AiError ? error : new AiProviderError('internal');
        await log({ status: 'error', model: provider.model, usage: NONE, cost: 0, error: failure });
        throw error;
      }
    }
    const promise = execute(step, context, key).finally(() => inFlight.delete(key));
    inFlight.set(key, promise as Promise<AiOutcome<unknown>>);
    return promise;
  };
}

export type Pipeline = ReturnType<typeof createPipeline>;
