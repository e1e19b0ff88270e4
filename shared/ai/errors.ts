import { AppError } from '../http/errors.ts';

/** Tokens a call spent, successful or not (a failed call may still have been paid for). */
export interface Usage {
  tokensIn: number;
  tokensOut: number;
  /** Input tokens the provider served from its prompt cache (billed at a lower rate). */
  cachedTokensIn?: number;
}

export const NO_USAGE: Usage = { tokensIn: 0, tokensOut: 0 };

/**
 * A failed AI call. `reason` is the stable code written to `ai_processing_logs.error_code`; `detail` is the
 * provider's message with secrets removed, for the log only. The HTTP body gets `code` and `message` alone.
 */
export class AiError extends AppError {
  readonly reason: string;
  readonly detail: string | undefined;
  usage: Usage;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { reason: string; detail?: string; usage?: Usage; headers?: Record<string, string> },
  ) {
    super(status, code, message, { headers: options.headers });
    this.name = 'AiError';
    this.reason = options.reason;
    this.detail = options.detail;
    this.usage = options.usage ?? NO_USAGE;
  }
}

/** 429: the shared limiter or the provider said wait; `retryAfterMs` says how long. */
export class AiRateLimitedError extends AiError {
  readonly retryAfterMs: number;

  constructor(retryAfterMs: number, reason: 'rate_limited' | 'provider_rate_limited', detail?: string) {
    super(429, 'rate_limited', 'The AI provider is busy; try again later', {
      reason,
      detail,
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
    });
    this.name = 'AiRateLimitedError';
    this.retryAfterMs = retryAfterMs;
  }
}

/** 504: the provider did not answer in time, on every attempt. */
export class AiTimeoutError extends AiError {
  constructor(detail?: string) {
    super(504, 'ai_timeout', 'The AI provider did not answer in time', { reason: 'timeout', detail });
    this.name = 'AiTimeoutError';
  }
}

/** 502: the provider failed or refused the request (after the retries a transient failure gets). */
export class AiProviderError extends AiError {
  readonly providerStatus: number | undefined;

  constructor(reason: string, detail?: string, providerStatus?: number) {
    super(502, 'ai_provider_error', 'The AI provider failed to answer', { reason, detail });
    this.name = 'AiProviderError';
    this.providerStatus = providerStatus;
  }
}

/** 502: the model's answer broke the expected schema twice (the first time it is asked again); never stored. */
export class AiInvalidOutputError extends AiError {
  constructor(detail: string, usage: Usage) {
    super(502, 'ai_invalid_output', 'The AI provider returned an invalid answer', {
      reason: 'invalid_output',
      detail,
      usage,
    });
    this.name = 'AiInvalidOutputError';
  }
}

const KEY_LIKE = /\b(sk|pk|rk|key)[-_][A-Za-z0-9_*.-]{6,}/gi;

/** A provider message safe for logs: API-key-like strings and the given secrets removed, length bounded. */
export function scrub(message: string, secrets: readonly string[] = []): string {
  let out = message;
  for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join('[redacted]');
  return out.replace(KEY_LIKE, '[redacted]').slice(0, 500);
}
