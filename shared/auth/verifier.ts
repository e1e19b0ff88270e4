import { createRemoteJWKSet, decodeProtectedHeader, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { type Claims, ClaimsSchema } from './claims.ts';

export interface TokenVerifier {
  verify(token: string): Promise<Claims>;
}

export interface VerifierOptions {
  /** Legacy HS256 JWT secret of the project. */
  jwtSecret?: string;
  /** URL of the project's JWKS (asymmetric signing keys). */
  jwksUrl?: string;
  /** A key set to use instead of fetching `jwksUrl` (tests, or keys passed in by configuration). */
  keySet?: JWTVerifyGetKey;
  /** The project's token issuer (`<SUPABASE_URL>/auth/v1`); when set, user tokens must carry exactly it. */
  issuer?: string;
}

export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

const ASYMMETRIC = ['ES256', 'RS256', 'EdDSA'];

/**
 * What Supabase Auth puts in every user access token and an API key never has: an expiry and the audience
 * `authenticated`. API keys (anon, service_role) are checked as Supabase issues them: signature and, when
 * present, expiry (jose checks `exp` whenever the claim exists).
 */
function userTokenProblem(claims: Claims, issuer: string | undefined): string | undefined {
  if (claims.role !== 'authenticated') return undefined;
  if (typeof claims.exp !== 'number') return 'a user token must expire (exp)';
  const audiences = Array.isArray(claims.aud) ? claims.aud : claims.aud === undefined ? [] : [claims.aud];
  if (!audiences.includes('authenticated')) return 'a user token must have the audience "authenticated"';
  if (issuer !== undefined && claims.iss !== issuer) return 'the token was not issued by this project';
  return undefined;
}

/** Verified tokens remembered per process, and for how long at most (a rotated-out key stops working by then). */
const CACHE_SIZE = 1_000;
const CACHE_MS = 60_000;

/**
 * Verifies Supabase tokens: HS256 with the legacy secret, asymmetric ones against the project's JWKS. A client
 * sends the same token for its whole life, so a verified token's claims are remembered (the last 1,000, each for
 * up to a minute and never past its expiry): the signature is checked once a minute per token, not per request.
 */
export function createVerifier(options: VerifierOptions): TokenVerifier {
  const secret = options.jwtSecret ? new TextEncoder().encode(options.jwtSecret) : undefined;
  const keySet =
    options.keySet ?? (options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined);
  const verified = new Map<string, { claims: Claims; until: number }>();
  return {
    async verify(token) {
      const now = Date.now();
      const known = verified.get(token);
      if (known && now < known.until) return known.claims;
      if (known) verified.delete(token);
      const claims = await verifyOnce(token);
      const until = Math.min(now + CACHE_MS, typeof claims.exp === 'number' ? claims.exp * 1000 : Infinity);
      if (verified.size >= CACHE_SIZE) verified.delete(verified.keys().next().value!);
      verified.set(token, { claims, until });
      return claims;
    },
  };

  async function verifyOnce(token: string): Promise<Claims> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new InvalidTokenError('malformed token');
    }
    let payload: unknown;
    try {
      if (alg === 'HS256' && secret) {
        payload = (await jwtVerify(token, secret, { algorithms: ['HS256'] })).payload;
      } else if (alg && ASYMMETRIC.includes(alg) && keySet) {
        payload = (await jwtVerify(token, keySet, { algorithms: ASYMMETRIC })).payload;
      } else {
        throw new InvalidTokenError('unsupported signing algorithm');
      }
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      const code = (error as { code?: string }).code;
      throw new InvalidTokenError(
        code === 'ERR_JWT_EXPIRED' ? 'token expired' : 'invalid token signature or claims',
      );
    }
    const claims = ClaimsSchema.safeParse(payload);
    if (!claims.success) throw new InvalidTokenError('token lacks a valid role or subject');
    const problem = userTokenProblem(claims.data, options.issuer);
    if (problem) throw new InvalidTokenError(problem);
    return claims.data;
  }
}
