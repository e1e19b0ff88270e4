// The one retry rule of the backend, for everything that calls out or runs again: jobs, workflow steps,
// notification webhooks, Attendee calls and the AI provider. Each caller keeps its own attempt budget and backoff;
// what counts as worth another attempt is decided here only.

/** What to do after a failure: give up, try again with backoff, or try again after the time the callee named. */
export type RetryDecision =
  | { kind: 'permanent' }
  | { kind: 'retry' }
  | { kind: 'retry_after'; afterMs: number };

/**
 * Error codes that are permanent whatever their status: a used-up daily cost budget (429 from shared/ops/budget)
 * renews at midnight, past any retry's backoff, and an exhausted provider quota does not pass by waiting.
 */
const PERMANENT_CODES = new Set(['budget_exceeded', 'insufficient_quota']);

/**
 * The rule: a 4xx other than 408 (timeout) and 429 (rate limit) is permanent, as are the codes above; 408, 429,
 * 5xx and failures without a status (network errors, timeouts) are retried, after `retryAfterMs` when the callee
 * said how long to wait.
 */
export function retryDecision(failure: {
  status?: number;
  code?: string;
  retryAfterMs?: number;
}): RetryDecision {
  const { status, code, retryAfterMs } = failure;
  if (code !== undefined && PERMANENT_CODES.has(code)) return { kind: 'permanent' };
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return { kind: 'permanent' };
  }
  return retryAfterMs !== undefined && retryAfterMs >= 0
    ? { kind: 'retry_after', afterMs: retryAfterMs }
    : { kind: 'retry' };
}

/**
 * A failure no later attempt can fix (a payload that breaks its schema, a bad routing rule, a webhook answering
 * 404): the job goes straight to its dead-letter queue, the workflow step fails at once.
 */
export class NonRetriableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetriableError';
  }
}

/**
 * True for errors that must not be retried: a NonRetriableError (or a subclass, such as a job's invalid
 * payload; by name too, for one thrown by another copy of this module, as in the Deno and Node builds of a
 * test) and zod's validation errors.
 */
export function isNonRetriable(error: unknown): boolean {
  if (error instanceof NonRetriableError) return true;
  if (!(error instanceof Error)) return false;
  return ['NonRetriableError', 'InvalidJobPayloadError', 'ZodError'].includes(error.name);
}

/** The status, code and wait a service error carries (AppError and its kin: AiError, AttendeeError, ...). */
function failureOf(error: unknown): { status?: number; code?: string; retryAfterMs?: number } {
  const { status, code, retryAfterMs } = (error ?? {}) as Record<string, unknown>;
  return {
    status: typeof status === 'number' ? status : undefined,
    code: typeof code === 'string' ? code : undefined,
    retryAfterMs: typeof retryAfterMs === 'number' ? retryAfterMs : undefined,
  };
}

/**
 * Rethrows a service error for a job or a workflow step: as NonRetriableError when `retryDecision` calls it
 * permanent, as it is otherwise (to be retried with the queue's or the step's backoff).
 */
export function rethrowForRetry(error: unknown): never {
  if (!isNonRetriable(error) && retryDecision(failureOf(error)).kind === 'permanent') {
    throw new NonRetriableError((error as Error).message, { cause: error });
  }
  throw error;
}
