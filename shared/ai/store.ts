// The AI service's data layer: call logs, the result cache and the shared rate limiter, all in Postgres.
// Everything runs as the service role: the service writes logs on the user's behalf (the user id comes from
// the verified token) and the cache and limiter are shared by every user, instance and worker.
import type { Database, Queryable } from '../db/database.ts';

type AiCallStatus = 'success' | 'error' | 'cached';

interface AiLogEntry {
  userId: string | null;
  requestId: string | null;
  operation: string;
  provider: string;
  model: string | null;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  latencyMs: number;
  status: AiCallStatus;
  /** Times the call was asked again (rate limits, transient failures) and how long it waited in all. */
  retries?: number;
  retryWaitMs?: number;
  errorCode: string | null;
  errorMessage: string | null;
}

/** A paid call about to be sent, with its estimated usage (what the budget counts until it is logged). */
type InFlightCall = Pick<
  AiLogEntry,
  'userId' | 'requestId' | 'operation' | 'provider' | 'model' | 'tokensIn' | 'tokensOut' | 'costUsd'
>;

interface CachedResult {
  result: Record<string, unknown>;
  provider: string;
  model: string;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
}

export interface RateLimits {
  requestsPerMinute: number;
  tokensPerMinute: number;
}

/** A reserved start of a provider call, or (not reserved) how far away the next free one is. */
interface Reservation {
  reserved: boolean;
  waitMs: number;
}

/** What the AI service needs from storage; `createNullAiStore` serves tools that run without a database. */
export interface AiStore {
  /**
   * Records a paid call as in flight before it is sent, after `guard` (the budget check) passed in the same
   * transaction; returns the row's id for `log`.
   */
  open(call: InFlightCall, guard?: (tx: Queryable) => Promise<void>): Promise<string>;
  /**
   * Marks an open call as sent (the pacer let its first HTTP attempt go): from then on a process that dies
   * leaves it to be logged as abandoned, not discarded. False when the row is gone.
   */
  markSent(inFlight: string): Promise<boolean>;
  /** Deletes an open call that was never sent, without a log row. */
  discard(inFlight: string): Promise<void>;
  /** Writes a call's log row; with `inFlight`, deletes the call's in-flight row in the same transaction. */
  log(entry: AiLogEntry, inFlight?: string): Promise<void>;
  /** A live cached result, recorded as served to `userId` (so deleting their data deletes it). */
  cacheGet(key: string, userId: string | null): Promise<CachedResult | undefined>;
  cachePut(
    key: string,
    operation: string,
    value: CachedResult,
    ttlSeconds: number,
    userId: string | null,
  ): Promise<void>;
  /** Records that a cached result was served to `userId` (a caller that shared another's in-flight call). */
  cacheOwn(key: string, userId: string): Promise<void>;
  /** Reserves the next start of a call within the shared pace, unless it is more than `maxWaitMs` away. */
  reserveCall(provider: string, tokens: number, limits: RateLimits, maxWaitMs: number): Promise<Reservation>;
  /** Corrects the token bucket by what a call really spent beyond (or short of) its reservations. */
  adjustCall(provider: string, tokenDelta: number, limits: RateLimits): Promise<void>;
  /** The provider answered 429: no instance starts a call before `retryAfterMs` from now. */
  blockProvider(provider: string, retryAfterMs: number): Promise<void>;
  /** How long a 429 block of the provider still lasts (0: none). */
  providerBlockedMs(provider: string): Promise<number>;
  /** The user's `user_ai_settings.redact_pii_before_provider` (false without a settings row). */
  redactsPiiBeforeProvider(userId: string): Promise<boolean>;
}

// Records the cache entries of `source` (a CTE with cache_key) as served to the user `param` names; nothing for
// work no user started, or for a user id no account has (a token can outlive its account).
const OWN_SQL = (source: string, param: string) =>
  `insert into ai_private.ai_result_cache_owners (cache_key, user_id)
   select s.cache_key, ${param}::uuid from ${source} s
   where ${param}::uuid is not null and exists (select 1 from auth.users u where u.id = ${param}::uuid)
   on conflict do nothing`;

/** The Postgres store: `ai_processing_logs`, and `ai_private`'s result cache and rate limiter. */
export function createPgAiStore(db: Database): AiStore {
  return {
    async open(call, guard) {
      return db.asService(async (tx) => {
        await guard?.(tx);
        const { rows } = await tx.query<{ id: string }>(
          `insert into ai_private.ai_calls_in_flight
             (user_id, request_id, operation, provider, model, tokens_in, tokens_out, cost_usd)
           values ($1, $2, $3, $4, $5, $6, $7, $8) returning id::text`,
          [
            call.userId,
            call.requestId,
            call.operation,
            call.provider,
            call.model,
            call.tokensIn,
            call.tokensOut,
            call.costUsd,
          ],
        );
        return rows[0]!.id;
      });
    },

    // One autocommit statement as the pool's role (which owns ai_private), like the limiter's: it runs while
    // the call holds a pacer slot.
    async markSent(inFlight) {
      const { rowCount } = await db.pool.query(
        'update ai_private.ai_calls_in_flight set sent_at = now() where id = $1',
        [inFlight],
      );
      return rowCount === 1;
    },

    async discard(inFlight) {
      await db.pool.query('delete from ai_private.ai_calls_in_flight where id = $1 and sent_at is null', [
        inFlight,
      ]);
    },

    async log(entry, inFlight) {
      await db.asService(async (tx) => {
        if (inFlight) await tx.query('delete from ai_private.ai_calls_in_flight where id = $1', [inFlight]);
        await tx.query(
          `insert into public.ai_processing_logs
             (user_id, request_id, operation, provider, model, tokens_in, tokens_out, cost_usd, latency_ms,
              status, error_code, error_message, retries, retry_wait_ms)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [
            entry.userId,
            entry.requestId,
            entry.operation,
            entry.provider,
            entry.model,
            entry.tokensIn,
            entry.tokensOut,
            entry.costUsd,
            Math.max(0, Math.round(entry.latencyMs)),
            entry.status,
            entry.errorCode,
            entry.errorMessage,
            entry.retries ?? 0,
            Math.min(2_147_483_647, Math.max(0, Math.round(entry.retryWaitMs ?? 0))),
          ],
        );
      });
    },

    async cacheGet(key, userId) {
      const { rows } = await db.asService((tx) =>
        tx.query<{
          result: Record<string, unknown>;
          provider: string;
          model: string;
          tokens_in: number;
          tokens_out: number;
          cost_usd: string;
        }>(
          `with hit as (
             update ai_private.ai_result_cache
             set hit_count = hit_count + 1, last_hit_at = now()
             where cache_key = $1 and expires_at > now()
             returning cache_key, result, provider, model, tokens_in, tokens_out, cost_usd
           ), owner as (${OWN_SQL('hit', '$2')})
           select result, provider, model, tokens_in, tokens_out, cost_usd from hit`,
          [key, userId],
        ),
      );
      const row = rows[0];
      if (!row) return undefined;
      return {
        result: row.result,
        provider: row.provider,
        model: row.model,
        tokensIn: row.tokens_in,
        tokensOut: row.tokens_out,
        costUsd: Number(row.cost_usd),
      };
    },

    async cachePut(key, operation, value, ttlSeconds, userId) {
      await db.asService((tx) =>
        tx.query(
          `with put as (
             insert into ai_private.ai_result_cache
               (cache_key, operation, provider, model, result, tokens_in, tokens_out, cost_usd, expires_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(secs => $9))
             on conflict (cache_key) do update
               set result = excluded.result, provider = excluded.provider, model = excluded.model,
                   tokens_in = excluded.tokens_in, tokens_out = excluded.tokens_out,
                   cost_usd = excluded.cost_usd, expires_at = excluded.expires_at
             returning cache_key
           ) ${OWN_SQL('put', '$10')}`,
          [
            key,
            operation,
            value.provider,
            value.model,
            JSON.stringify(value.result),
            value.tokensIn,
            value.tokensOut,
            value.costUsd,
            ttlSeconds,
            userId,
          ],
        ),
      );
    },

    async cacheOwn(key, userId) {
      await db.asService((tx) =>
        tx.query(
          `with entry as (select cache_key from ai_private.ai_result_cache where cache_key = $1)
           ${OWN_SQL('entry', '$2')}`,
          [key, userId],
        ),
      );
    },

    // The limiter's calls are one statement each, autocommit, as the pool's own role (which owns ai_private):
    // they run once or twice per provider call, so no transaction of their own.
    async reserveCall(provider, tokens, limits, maxWaitMs) {
      const { rows } = await db.pool.query<{ reserved: boolean; wait_ms: number }>(
        'select reserved, wait_ms from ai_private.reserve_ai_call($1, $2, $3, $4, $5)',
        [
          provider,
          Math.max(0, Math.ceil(tokens)),
          limits.requestsPerMinute,
          limits.tokensPerMinute,
          Math.max(0, Math.round(maxWaitMs)),
        ],
      );
      return { reserved: rows[0]!.reserved, waitMs: rows[0]!.wait_ms };
    },

    async adjustCall(provider, tokenDelta, limits) {
      if (Math.round(tokenDelta) === 0) return;
      await db.pool.query('select ai_private.adjust_ai_call($1, $2, $3)', [
        provider,
        Math.round(tokenDelta),
        limits.tokensPerMinute,
      ]);
    },

    async blockProvider(provider, retryAfterMs) {
      await db.pool.query('select ai_private.block_ai_provider($1, $2)', [
        provider,
        Math.max(0, Math.round(retryAfterMs)),
      ]);
    },

    async providerBlockedMs(provider) {
      const { rows } = await db.pool.query<{ ms: number }>(
        'select ai_private.ai_provider_blocked_ms($1) as ms',
        [provider],
      );
      return rows[0]!.ms;
    },

    async redactsPiiBeforeProvider(userId) {
      const { rows } = await db.asService((tx) =>
        tx.query<{ on: boolean }>(
          'select redact_pii_before_provider as on from public.user_ai_settings where user_id = $1',
          [userId],
        ),
      );
      return rows[0]?.on === true;
    },
  };
}

/** No logs, no cache, no limits: for the command line, which runs without a database. */
export function createNullAiStore(): AiStore {
  return {
    open: async () => '',
    markSent: async () => true,
    discard: async () => {},
    log: async () => {},
    cacheGet: async () => undefined,
    cachePut: async () => {},
    cacheOwn: async () => {},
    reserveCall: async () => ({ reserved: true, waitMs: 0 }),
    adjustCall: async () => {},
    blockProvider: async () => {},
    providerBlockedMs: async () => 0,
    redactsPiiBeforeProvider: async () => false,
  };
}
