import type { MiddlewareHandler } from 'hono';
import type { Database, Queryable } from '../db/database.ts';
import type { AppEnv } from './context.ts';
import { AppError } from './errors.ts';
import type { Logger } from './logger.ts';
import { leaseUserRequests } from './request-limit-store.ts';

/** 429 with `Retry-After`: the caller used up their requests of this minute. */
class UserRateLimitedError extends AppError {
  constructor(limit: number, retryAfterSeconds: number) {
    super(429, 'rate_limited', `Too many requests: at most ${limit} per minute; try again later`, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
    this.name = 'UserRateLimitedError';
  }
}

export interface RequestDecision {
  allowed: boolean;
  limit: number;
  /** What this instance knows is left of the minute: the minute's unleased requests and its own lease's. */
  remaining: number;
  /** Seconds until the current minute's window ends. */
  resetSeconds: number;
}

interface Lease {
  left: number;
  used: number;
  limit: number;
  /** Local clock: the lease dies with its minute. */
  endsAt: number;
  /** The minute had nothing left after this lease: no point asking again before it ends. */
  exhausted: boolean;
}

/**
 * One instance's share of the per-user request limit: requests are admitted from leases of the user's minute
 * (app_private.lease_user_requests), one statement per lease, concurrent requests of a user waiting for the one
 * lease in flight. A user over the limit is refused from memory until the minute ends.
 */
export class UserRequestLeases {
  readonly #leases = new Map<string, Lease>();
  readonly #pending = new Map<string, Promise<void>>();
  readonly #db: Queryable;
  readonly #perMinute: number;
  #sweepAt = 0;

  constructor(db: Queryable, perMinute: number) {
    this.#db = db;
    this.#perMinute = perMinute;
  }

  async take(userId: string): Promise<RequestDecision> {
    for (;;) {
      const now = Date.now();
      if (now >= this.#sweepAt) this.#sweep(now);
      const lease = this.#leases.get(userId);
      if (lease && lease.endsAt > now) {
        const resetSeconds = Math.max(1, Math.ceil((lease.endsAt - now) / 1000));
        if (lease.left > 0) {
          lease.left--;
          const remaining = lease.limit - lease.used + lease.left;
          return { allowed: true, limit: lease.limit, remaining, resetSeconds };
        }
        if (lease.exhausted) return { allowed: false, limit: lease.limit, remaining: 0, resetSeconds };
      }
      const inFlight = this.#pending.get(userId);
      if (inFlight) {
        await inFlight;
        continue;
      }
      const asked = leaseUserRequests(this.#db, userId, this.#perMinute)
        .then((granted) => {
          this.#leases.set(userId, {
            left: granted.granted,
            used: granted.used,
            limit: granted.limit,
            endsAt: Date.now() + granted.resetMs,
            exhausted: granted.used >= granted.limit,
          });
        })
        .finally(() => this.#pending.delete(userId));
      this.#pending.set(userId, asked);
      await asked;
    }
  }

  /** Forgets the leases of minutes that ended (users who stopped calling), once a minute. */
  #sweep(now: number) {
    for (const [userId, lease] of this.#leases) if (lease.endsAt <= now) this.#leases.delete(userId);
    this.#sweepAt = now + 60_000;
  }
}

// One lease state per pool: every function app of a process built over the same services shares it (leases
// held apart by each app would leave more unspent tokens stranded).
const leasesByPool = new WeakMap<object, UserRequestLeases>();

/**
 * Per-user request limit for signed-in callers, shared by every instance through one Postgres counter per user
 * and minute that each instance takes leases of. The service role and the anon key are not limited here. Should
 * the counter be unreachable the request goes on: the database being down fails it (or health reports it) more
 * clearly than a 429 would.
 */
export function limitUserRequests(deps: {
  db: Database;
  logger: Logger;
  perMinute: number;
}): MiddlewareHandler<AppEnv> {
  let leases = leasesByPool.get(deps.db.pool);
  if (!leases) {
    // The counter is shared infrastructure, keyed by the verified user id: autocommit statements as the pool's
    // own role (which owns app_private), no transaction of their own.
    leases = new UserRequestLeases(deps.db.pool, deps.perMinute);
    leasesByPool.set(deps.db.pool, leases);
  }
  const shared = leases;
  return async function limitUserRequestsMiddleware(c, next) {
    const user = c.get('user');
    if (!user) return next();
    let decision: RequestDecision | undefined;
    try {
      decision = await shared.take(user.sub);
    } catch (error) {
      (c.get('logger') ?? deps.logger).warn('rate limiter unavailable', { error: String(error) });
    }
    if (decision) {
      c.header('RateLimit-Limit', String(decision.limit));
      c.header('RateLimit-Remaining', String(Math.max(0, decision.remaining)));
      c.header('RateLimit-Reset', String(decision.resetSeconds));
      if (!decision.allowed) throw new UserRateLimitedError(decision.limit, decision.resetSeconds);
    }
    await next();
  };
}
