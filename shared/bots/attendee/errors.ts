/**
 * Why an Attendee call failed:
 * - `duplicate`: the deduplication key belongs to a live bot (look it up and link it);
 * - `rejected`: any other 400, with Attendee's message (do not retry);
 * - `not_found`, `unauthorized`: 404, 401/403;
 * - `rate_limited`, `unavailable`: 429, 5xx, network errors or timeouts left after the retries.
 */
export type AttendeeErrorKind =
  | 'duplicate'
  | 'rejected'
  | 'not_found'
  | 'unauthorized'
  | 'rate_limited'
  | 'unavailable';

/** A failed Attendee call; the message is Attendee's own (never the API key or headers). */
export class AttendeeError extends Error {
  readonly kind: AttendeeErrorKind;
  readonly status: number | undefined;

  constructor(kind: AttendeeErrorKind, message: string, status?: number) {
    super(message);
    this.name = 'AttendeeError';
    this.kind = kind;
    this.status = status;
  }

  /** True when trying again later may succeed. */
  get transient(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'unavailable';
  }
}

/** Attendee's error body as one line: `{"error": "..."}`, `{"detail": "..."}` or a field map. */
export function attendeeMessage(body: unknown, fallback: string): string {
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 500);
  if (!body || typeof body !== 'object') return fallback;
  const record = body as Record<string, unknown>;
  for (const key of ['error', 'detail', 'message']) {
    if (typeof record[key] === 'string') return (record[key] as string).slice(0, 500);
  }
  const parts = Object.entries(record).map(([field, value]) => {
    const text = Array.isArray(value) ? value.map(String).join(' ') : JSON.stringify(value);
    return `${field}: ${text}`;
  });
  return parts.length ? parts.join('; ').slice(0, 500) : fallback;
}

/** True for Attendee's 400 answer to a deduplication key already held by a live bot. */
export function isDuplicateKeyBody(body: unknown): boolean {
  const message = attendeeMessage(body, '');
  return /deduplication key/i.test(message) && /already|in use|exists/i.test(message);
}
