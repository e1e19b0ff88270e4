/**
 * A failure no later attempt can fix (a payload that breaks its schema, a task for a queue nobody handles): the
 * job skips its remaining retries and goes straight to its dead-letter queue. Recognised by name, so a service's
 * own error class called `NonRetriableError` works the same.
 */
export class NonRetriableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetriableError';
  }
}

/**
 * Rethrows a service error for a job: a 4xx the request itself caused (not found, invalid, over budget) as
 * NonRetriableError, since no retry changes it; anything else (rate limits, timeouts, outages) as it is, to be
 * retried with the queue's backoff.
 */
export function asJobError(error: unknown): never {
  const { status, code } = (error ?? {}) as { status?: unknown; code?: unknown };
  const permanent =
    typeof status === 'number' &&
    status >= 400 &&
    status < 500 &&
    // A used-up daily budget renews at midnight, past any retry's backoff.
    (code === 'budget_exceeded' || (status !== 408 && status !== 429));
  if (permanent) throw new NonRetriableError((error as Error).message, { cause: error });
  throw error;
}

/** A job payload that does not match its queue's schema, at send or at handling. */
export class InvalidJobPayloadError extends NonRetriableError {
  readonly queue: string;
  readonly issues: Array<{ path: string; message: string }>;

  constructor(queue: string, issues: Array<{ path: string; message: string }>) {
    super(
      `Invalid payload for queue ${queue}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    );
    this.name = 'InvalidJobPayloadError';
    this.queue = queue;
    this.issues = issues;
  }
}

/** True for errors that must not be retried: NonRetriableError by name and zod's validation errors. */
export function isNonRetriable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'NonRetriableError' || error.name === 'InvalidJobPayloadError' || error.name === 'ZodError'
  );
}
