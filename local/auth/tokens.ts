import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import type { AuthSettings } from './config.ts';
import { AuthError } from './errors.ts';
import type { SigningKey } from './signing-key.ts';
import { type UserRow, userJson } from './users.ts';

/** GoTrue's AccessTokenResponse. */
export interface AccessTokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: Record<string, unknown>;
}

/**
 * Signs an access token with exactly the claims GoTrue puts in one (`GenerateAccessToken`): aud, exp, iat, iss,
 * sub, email, phone, app_metadata, user_metadata, role, aal, amr, session_id, is_anonymous; ES256 with the
 * key's `kid` in the header, as a project with asymmetric signing keys issues them.
 */
export async function issueAccessToken(
  key: SigningKey,
  settings: AuthSettings,
  user: UserRow,
  session: { sessionId: string; refreshToken: string; method: 'password'; authenticatedAt: number },
): Promise<AccessTokenResponse> {
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = now + settings.jwtExpirySeconds;
  const accessToken = await new SignJWT({
    email: user.email ?? '',
    phone: user.phone ?? '',
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role,
    aal: 'aal1',
    amr: [{ method: session.method, timestamp: session.authenticatedAt }],
    session_id: session.sessionId,
    is_anonymous: user.is_anonymous,
  })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setIssuer(settings.issuer)
    .setSubject(user.id)
    .setAudience(user.aud)
    .setIssuedAt(now)
    .setExpirationTime(expiresAt)
    .sign(key.privateKey);
  return {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: settings.jwtExpirySeconds,
    expires_at: expiresAt,
    refresh_token: session.refreshToken,
    user: userJson(user),
  };
}

/** The claims of a bearer token GoTrue itself would accept: its own ES256 key, or the legacy HS256 secret. */
export interface BearerClaims {
  sub?: string;
  session_id?: string;
  role?: string;
  is_anonymous?: boolean;
}

/** Verifies a bearer token the way GoTrue's `requireAuthentication` does; failures are 403 `bad_jwt`. */
export function createBearerVerifier(key: SigningKey, legacySecret: string | undefined) {
  const keySet = createLocalJWKSet({ keys: [key.publicJwk] });
  const secret = legacySecret ? new TextEncoder().encode(legacySecret) : undefined;
  return async function verifyBearer(token: string): Promise<BearerClaims> {
    try {
      const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
        alg?: string;
      };
      const { payload } =
        header.alg === 'HS256' && secret
          ? await jwtVerify(token, secret, { algorithms: ['HS256'] })
          : await jwtVerify(token, keySet, { algorithms: ['ES256'] });
      return payload as BearerClaims;
    } catch (error) {
      const reason =
        (error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'token has expired' : 'invalid token';
      throw new AuthError(403, 'bad_jwt', `invalid JWT: unable to parse or verify signature, ${reason}`);
    }
  };
}
