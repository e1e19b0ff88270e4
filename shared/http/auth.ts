import type { Context, MiddlewareHandler } from 'hono';
import { isUser, type UserClaims } from '../auth/claims.ts';
import type { TokenVerifier } from '../auth/verifier.ts';
import type { AppEnv } from './context.ts';
import { forbidden, unauthorized } from './errors.ts';

function bearerToken(header: string | undefined): string {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  if (!match?.[1]) throw unauthorized();
  return match[1];
}

export interface AuthenticateOptions {
  /**
   * Exact paths that authenticate themselves instead (a third party's signed webhook carries no project token).
   * Such a route must verify its caller itself; it gets no claims and no user.
   */
  selfAuthenticatedPaths?: readonly string[];
}

/** Verifies the bearer token of every request (any project role) and puts its claims on the context. */
export function authenticate(
  verifier: TokenVerifier,
  options: AuthenticateOptions = {},
): MiddlewareHandler<AppEnv> {
  const exempt = new Set(options.selfAuthenticatedPaths ?? []);
  return async function authenticateMiddleware(c, next) {
    if (c.req.method === 'OPTIONS' || exempt.has(c.req.path)) return next();
    const claims = await verifier.verify(bearerToken(c.req.header('Authorization')));
    c.set('claims', claims);
    if (isUser(claims)) c.set('user', claims);
    await next();
  };
}

/** Lets only signed-in users through; the anon key gets 401, the service role 403. */
export function requireUser(): MiddlewareHandler<AppEnv> {
  return async function requireUserMiddleware(c, next) {
    const claims = c.get('claims');
    if (!claims || claims.role === 'anon' || (claims.role === 'authenticated' && !isUser(claims))) {
      throw unauthorized('A signed-in user token is required');
    }
    if (!isUser(claims)) throw forbidden('This endpoint acts for a user; call it with a user token');
    await next();
  };
}

/** Lets only the service role through: anon gets 401, users get 403. */
export function requireServiceRole(): MiddlewareHandler<AppEnv> {
  return async function requireServiceRoleMiddleware(c, next) {
    const claims = c.get('claims');
    if (!claims || claims.role === 'anon') throw unauthorized('The service role key is required');
    if (claims.role !== 'service_role') throw forbidden('Only the service role may call this endpoint');
    await next();
  };
}

/** The verified user of a request behind `requireUser()`. */
export function currentUser(c: Context<AppEnv>): UserClaims {
  const user = c.get('user');
  if (!user) throw unauthorized('A signed-in user token is required');
  return user;
}
