import type { MiddlewareHandler } from 'hono';
import type { TokenVerifier } from '../shared/auth/verifier.ts';

/**
 * What Supabase's API gateway (Kong) does before Auth and REST see a request: an `apikey` header (or query
 * parameter) holding the project's anon or service role key, else 401 with the gateway's message. `openPaths`
 * pass without one (Kong's open routes, such as the JWKS).
 */
export function requireApiKey(verifier: TokenVerifier, openPaths: readonly string[] = []): MiddlewareHandler {
  return async function requireApiKeyMiddleware(c, next) {
    if (c.req.method === 'OPTIONS' || openPaths.includes(c.req.path)) return next();
    const key = c.req.header('apikey') ?? c.req.query('apikey');
    if (!key) {
      return c.json(
        {
          message: 'No API key found in request',
          hint: 'No `apikey` request header or url param was found.',
        },
        401,
      );
    }
    const claims = await verifier.verify(key).catch(() => undefined);
    if (!claims || (claims.role !== 'anon' && claims.role !== 'service_role')) {
      return c.json(
        { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' },
        401,
      );
    }
    await next();
  };
}
