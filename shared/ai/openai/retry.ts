import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { retryDecision } from '../../http/retry.ts';
import { AiError, AiProviderError, AiRateLimitedError, AiTimeoutError, scrub } from '../errors.ts';
import type { ProviderGate } from '../provider.ts';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff; doubles each retry, capped at `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the call fails as rate limited at once. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
};

export interface RetryDeps {
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Told before each wait (for logs and tests). */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  secrets?: readonly string[];
  signal?: AbortSignal;
  /** Paces every attempt (the shared provider limiter); a 429 then waits in the gate, for every caller. */
  gate?: ProviderGate;
}

/** Sleeps `ms`, waking early (with the signal's reason) when it is aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `retry-after-ms` (OpenAI's own) or `Retry-After` (seconds or an HTTP date), in milliseconds. */
function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const header = headers?.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function isRetryable(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false;
  if (error instanceof APIConnectionError) return true;
  if (!(error instanceof APIError) || error.status === undefined) return false;
  // The one rule (shared/http/retry.ts): 408, 429 and 5xx are retried, any other 4xx is not, nor is a 429 for
  // an exhausted quota, which does not pass by waiting.
  return retryDecision({ status: error.status, code: error.code ?? undefined }).kind !== 'permanent';
}

/** The typed error a failed SDK call ends as, with the provider's message scrubbed of secrets. */
export function toAiError(error: unknown, secrets: readonly string[] = []): AiError {
  if (error instanceof AiError) return error;
  const detail = scrub(error instanceof Error ? error.message : String(error), secrets);
  if (error instanceof APIConnectionTimeoutError) return new AiTimeoutError(detail);
  if (error instanceof SyntaxError) return new AiProviderError('malformed_response', detail);
  if (error instanceof APIUserAbortError) return new AiProviderError('aborted', detail);
  if (error instanceof APIConnectionError) return new AiProviderError('provider_unreachable', detail);
  if (error instanceof APIError && error.status !== undefined) {
    if (error.status === 429) {
      if (error.code === 'insufficient_quota') return new AiProviderError('insufficient_quota', detail, 429);
      return new AiRateLimitedError(retryAfterMs(error.headers) ?? 60_000, 'provider_rate_limited', detail);
    }
    return new AiProviderError(`provider_http_${error.status}`, detail, error.status);
  }
  return new AiProviderError('provider_error', detail);
}

/**
 * Runs `call` until it succeeds or fails for good. Transient failures (connection errors, timeouts, 408, 429,
 * 5xx) are retried: after exactly the server's `Retry-After` when it sends one, else after an exponential
 * backoff with jitter (half fixed, half random). Everything else fails at once, as a typed `AiError`. With a
 * gate every attempt passes it, and a 429's wait is the gate's: told to every caller, not slept alone.
 */
export async function withRetries<T>(
  call: (attempt: number) => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  deps: RetryDeps = {},
): Promise<T> {
  const wait = deps.sleep ?? sleep;
  const random = deps.random ?? Math.random;
  const { gate } = deps;
  for (let attempt = 0; ; attempt++) {
    let failure: unknown;
    await gate?.before(deps.signal);
    try {
      return await call(attempt);
    } catch (error) {
      failure = error;
    } finally {
      gate?.after();
    }
    const error = failure;
    const told = error instanceof APIError ? retryAfterMs(error.headers) : undefined;
    const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
    const delayMs = told ?? Math.round(backoff / 2 + (random() * backoff) / 2);
    const rateLimited = error instanceof APIError && error.status === 429 && isRetryable(error);
    // Shared with every caller: the gate's next `before` waits it out, so this caller does not sleep alone.
    const shared = gate && rateLimited ? await gate.rateLimited(delayMs) : false;
    if (!isRetryable(error) || attempt >= policy.maxRetries) throw toAiError(error, deps.secrets);
    if (told !== undefined && told > policy.maxRetryAfterMs) throw toAiError(error, deps.secrets);
    const reason = error instanceof APIError && error.status ? `http_${error.status}` : 'connection';
    deps.onRetry?.({ attempt: attempt + 1, delayMs, reason });
    if (!shared) await wait(delayMs, deps.signal);
  }
}
