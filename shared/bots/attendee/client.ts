import type { z } from 'zod';
import { retryDecision } from '../../http/retry.ts';
import { AttendeeError, attendeeMessage, isDuplicateKeyBody } from './errors.ts';
import {
  type AttendeeBot,
  AttendeeBotSchema,
  type BotPage,
  BotPageSchema,
  type CreateBotRequest,
  TERMINAL_STATES,
  type UpdateBotRequest,
} from './schemas.ts';

const DEFAULT_ATTENDEE_BASE_URL = 'https://app.attendee.dev/api/v1';

export interface AttendeeClientOptions {
  apiKey: string;
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Per attempt. */
  timeoutMs?: number;
  /** Attempts for 5xx, network errors and timeouts (backoff with jitter between them). */
  maxAttempts?: number;
  backoffMs?: number;
  /** 429s honoured (waiting `Retry-After`) before giving up with `rate_limited`. */
  maxRateLimitWaits?: number;
  /** A longer `Retry-After` is not waited for: the call fails as `rate_limited` and the job retries later. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** The Attendee calls the bots service makes. */
export interface AttendeeClient {
  createBot(request: CreateBotRequest): Promise<AttendeeBot>;
  getBot(id: string): Promise<AttendeeBot>;
  listBots(query: { deduplication_key?: string; meeting_url?: string; states?: string }): Promise<BotPage>;
  /** The live bot holding a deduplication key (or the newest one when none is live). */
  findByDeduplicationKey(key: string): Promise<AttendeeBot | undefined>;
  updateBot(id: string, patch: UpdateBotRequest): Promise<AttendeeBot>;
  deleteBot(id: string): Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `Retry-After` in milliseconds: delta seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** An Attendee REST client: `Token` auth, no trailing slashes, retries for 429 (Retry-After), 408, 5xx and timeouts. */
export function createAttendeeClient(options: AttendeeClientOptions): AttendeeClient {
  const baseUrl = (options.baseUrl ?? DEFAULT_ATTENDEE_BASE_URL).replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxAttempts = options.maxAttempts ?? 4;
  const backoffMs = options.backoffMs ?? 500;
  const maxRateLimitWaits = options.maxRateLimitWaits ?? 5;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const sleep = options.sleep ?? defaultSleep;

  async function request<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S | undefined,
    body?: unknown,
  ): Promise<z.infer<S>> {
    let attempt = 0;
    let rateLimitWaits = 0;
    for (;;) {
      attempt++;
      let response: Response;
      try {
        response = await doFetch(`${baseUrl}${path}`, {
          method,
          headers: {
            Authorization: `Token ${options.apiKey}`,
            Accept: 'application/json',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const reason = (error as Error)?.name === 'TimeoutError' ? 'timed out' : 'could not be reached';
        if (attempt >= maxAttempts) {
          throw new AttendeeError('unavailable', `Attendee ${method} ${path} ${reason}`);
        }
        await sleep(backoff(attempt));
        continue;
      }
      if (response.ok) {
        const payload = await readBody(response);
        if (!schema) return undefined as z.infer<S>;
        const parsed = schema.safeParse(payload);
        if (!parsed.success) {
          throw new AttendeeError('unavailable', `Attendee ${method} ${path} answered an unexpected body`);
        }
        return parsed.data;
      }
      const payload = await readBody(response);
      const message = attendeeMessage(payload, `Attendee answered ${response.status}`);
      if (response.status === 429) {
        const wait = retryAfterMs(response.headers.get('retry-after')) ?? backoff(rateLimitWaits + 1);
        if (rateLimitWaits >= maxRateLimitWaits || wait > maxRetryAfterMs) {
          throw new AttendeeError('rate_limited', message, 429);
        }
        rateLimitWaits++;
        attempt--;
        await sleep(wait);
        continue;
      }
      // 408 and 5xx are retried (shared/http/retry.ts); every other status is Attendee's final answer.
      if (response.status >= 400 && retryDecision({ status: response.status }).kind === 'retry') {
        if (attempt >= maxAttempts) throw new AttendeeError('unavailable', message, response.status);
        await sleep(backoff(attempt));
        continue;
      }
      if (response.status === 404) throw new AttendeeError('not_found', message, 404);
      if (response.status === 401 || response.status === 403) {
        throw new AttendeeError('unauthorized', message, response.status);
      }
      if (response.status === 400 && isDuplicateKeyBody(payload)) {
        throw new AttendeeError('duplicate', message, 400);
      }
      throw new AttendeeError('rejected', message, response.status);
    }
  }

  // Exponential backoff with full jitter: 1x, 2x, 4x ... the base, times a random factor in [0.5, 1).
  function backoff(attempt: number): number {
    return Math.round(backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
  }

  const botPath = (id: string) => `/bots/${encodeURIComponent(id)}`;

  return {
    createBot: (body) => request('POST', '/bots', AttendeeBotSchema, body),
    getBot: (id) => request('GET', botPath(id), AttendeeBotSchema),
    listBots(query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
      const search = params.size ? `?${params}` : '';
      return request('GET', `/bots${search}`, BotPageSchema);
    },
    async findByDeduplicationKey(key) {
      const page = await this.listBots({ deduplication_key: key });
      const matching = page.results.filter((bot) => bot.deduplication_key === key || !bot.deduplication_key);
      return matching.find((bot) => !TERMINAL_STATES.includes(bot.state)) ?? matching[0];
    },
    updateBot: (id, patch) => request('PATCH', botPath(id), AttendeeBotSchema, patch),
    async deleteBot(id) {
      await request('DELETE', botPath(id), undefined);
    },
  };
}
