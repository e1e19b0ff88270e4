import type { MiddlewareHandler } from 'hono';
import type { Database } from '../db/database.ts';
import type { AppEnv } from './context.ts';
import { AppError } from './errors.ts';
import type { Logger } from './logger.ts';
import { consumeUserRequest } from './request-limit-store.ts';

/** 429 with `Retry-After`: the caller used up their requests of this minute. */
export class UserRateLimitedError extends AppError {
  constructor(limit: number, retryAfterSeconds: number) {
    super(429, 'rate_limited', `Too many requests: at most ${limit} per minute; try again later`, {
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
    this.name = 'UserRateLimitedError';
  }
}

/**
 * Per-user request limit for signed-in callers, shared by every instance through one Postgres counter per user
 * and minute. The service role and the anon key are not limited here. Should the counter be unreachable the
 * request goes on: the database being down fails it (or health reports it) more clearly than a 429 would.
 */
export function limitUserRequests(deps: {
  db: Database;
  logger: Logger;
  perMinute: number;
}): MiddlewareHandler<AppEnv> {
  return async function limitUserRequestsMiddleware(c, next) {
    const user = c.get('user');
    if (!user) return next();
    let decision: Awaited<ReturnType<typeof consumeUserRequest>> | undefined;
    try {
      // The counter is shared infrastructure, keyed by the verified user id. One autocommit statement as the
      // pool's own role (which owns app_private): no transaction of its own, one round trip per request.
      decision = await consumeUserRequest(deps.db.pool, user.sub, deps.perMinute);
    } catch (error) {
      (c.get('logger') ?? deps.logger).warn('rate limiter unavailable', { error: String(error) });
    }
    if (decision) {
      c.header('RateLimit-Limit', String(decision.limit));
      c.header('RateLimit-Remaining', String(Math.max(0, decision.limit - decision.used)));
      c.header('RateLimit-Reset', String(decision.resetSeconds));
      if (!decision.allowed) throw new UserRateLimitedError(decision.limit, decision.resetSeconds);
    }
    await next();
  };
}
