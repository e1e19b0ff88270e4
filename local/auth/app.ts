import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type pg from 'pg';
import { z } from 'zod';
import type { TokenVerifier } from '../../shared/auth/verifier.ts';
import { requireApiKey } from '../api-key.ts';
import type { AuthSettings } from './config.ts';
import { AuthError, authErrorResponse } from './errors.ts';
import { checkPasswordStrength } from './password.ts';
import { endSessions, rotateRefreshToken, sessionExists, startSession } from './sessions.ts';
import type { SigningKey } from './signing-key.ts';
import { type BearerClaims, createBearerVerifier, issueAccessToken } from './tokens.ts';
import { insertUser, type UserRow, userById, userByPassword, userJson } from './users.ts';

export interface AuthAppOptions {
  pool: pg.Pool;
  settings: AuthSettings;
  signingKey: SigningKey;
  /** Checks the `apikey` header (the anon or service role key), as Supabase's API gateway does. */
  apiKeys: TokenVerifier;
  /** GoTrue also accepts tokens signed with the legacy HS256 secret. */
  legacySecret?: string;
}

const MAX_BODY_BYTES = 64 * 1024;

/** GoTrue's `validateEmail`: required, at most 255 characters, a plausible address; stored lower-case. */
function validEmail(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new AuthError(400, 'validation_failed', 'An email address is required');
  }
  if (value.length > 255) throw new AuthError(400, 'validation_failed', 'An email address is too long');
  if (!z.email().safeParse(value).success) {
    throw new AuthError(400, 'validation_failed', 'Unable to validate email address: invalid format');
  }
  return value.toLowerCase();
}

const SignupBody = z.object({
  email: z.unknown().optional(),
  phone: z.string().optional(),
  password: z.string().optional(),
  data: z.record(z.string(), z.unknown()).nullish(),
});
const PasswordGrantBody = z.object({
  email: z.string().optional(),
  phone: z.string().optional(),
  password: z.string().optional(),
});
const RefreshGrantBody = z.object({ refresh_token: z.string().optional() });

async function jsonBody<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw new AuthError(400, 'request_too_large', 'Request body too large');
  let value: unknown;
  try {
    value = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new AuthError(400, 'bad_json', 'Could not parse request body as JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new AuthError(400, 'bad_json', 'Could not read the request body: unexpected field types');
  return parsed.data;
}

/**
 * The Auth stand-in at /auth/v1: the part of GoTrue's HTTP contract supabase-js's `auth` uses for email and
 * password (sign up, password and refresh-token grants, user, logout) and the JWKS. Only for the local stack.
 */
export function createAuthApp(options: AuthAppOptions): Hono {
  const { pool, settings, signingKey } = options;
  const verifyBearer = createBearerVerifier(signingKey, options.legacySecret);
  const app = new Hono().basePath('/auth/v1');

  app.use('*', cors({ origin: '*', exposeHeaders: ['X-Supabase-Api-Version', 'x-sb-error-code'] }));

  // Supabase's gateway (Kong) lets the JWKS and health through without a key; everything else needs one.
  app.use('*', requireApiKey(options.apiKeys, ['/auth/v1/.well-known/jwks.json', '/auth/v1/health']));

  app.onError((error, c) => {
    if (error instanceof AuthError) return authErrorResponse(error, c.req.header('X-Supabase-Api-Version'));
    console.error('[auth stand-in]', error instanceof Error ? error.message : error);
    return authErrorResponse(
      new AuthError(500, 'unexpected_failure', 'Unexpected failure, please check the local stack logs'),
      c.req.header('X-Supabase-Api-Version'),
    );
  });

  app.get('/.well-known/jwks.json', (c) => {
    c.header('Cache-Control', 'public, max-age=600');
    return c.json({ keys: [signingKey.publicJwk] });
  });

  app.get('/health', (c) =>
    c.json({
      version: 'local-stand-in',
      name: 'GoTrue',
      description: 'GoTrue is a user registration and authentication API',
    }),
  );

  app.get('/settings', (c) =>
    c.json({
      external: { email: true, phone: false, anonymous_users: false },
      disable_signup: !settings.enableSignup,
      mailer_autoconfirm: true,
      phone_autoconfirm: false,
      sms_provider: '',
      saml_enabled: false,
    }),
  );

  async function session(user: UserRow, request: Request) {
    const issued = await startSession(pool, user.id, {
      userAgent: request.headers.get('user-agent') ?? undefined,
    });
    const fresh = (await userById(pool, user.id)) ?? user;
    return issueAccessToken(signingKey, settings, fresh, {
      ...issued,
      method: 'password',
      authenticatedAt: Math.floor(Date.now() / 1000),
    });
  }

  app.post('/signup', async (c) => {
    if (!settings.enableSignup)
      throw new AuthError(422, 'signup_disabled', 'Signups not allowed for this instance');
    const body = await jsonBody(c.req.raw, SignupBody);
    if (!body.password) throw new AuthError(400, 'validation_failed', 'Signup requires a valid password');
    checkPasswordStrength(body.password, settings);
    if (body.phone && body.email === undefined) {
      throw new AuthError(400, 'phone_provider_disabled', 'Phone signups are disabled');
    }
    if (body.phone && body.email) {
      throw new AuthError(
        400,
        'validation_failed',
        'Only an email address or phone number should be provided on signup.',
      );
    }
    const email = validEmail(body.email);
    const user = await insertUser(pool, { email, password: body.password, data: body.data ?? {} });
    // Confirmed on creation (no confirmation mail), so a second sign-up is GoTrue's autoconfirm answer.
    if (!user) throw new AuthError(422, 'user_already_exists', 'User already registered');
    return c.json(await session(user, c.req.raw));
  });

  app.post('/token', async (c) => {
    const grantType = c.req.query('grant_type');
    if (grantType === 'password') {
      const body = await jsonBody(c.req.raw, PasswordGrantBody);
      if (body.email && body.phone) {
        throw new AuthError(
          400,
          'validation_failed',
          'Only an email address or phone number should be provided on login.',
        );
      }
      if (body.phone) throw new AuthError(422, 'phone_provider_disabled', 'Phone logins are disabled');
      if (!body.email) throw new AuthError(400, 'validation_failed', 'missing email or phone');
      const user = await userByPassword(pool, body.email.toLowerCase(), body.password ?? '');
      if (!user) throw new AuthError(400, 'invalid_credentials', 'Invalid login credentials');
      if (user.banned_until && user.banned_until > new Date())
        throw new AuthError(400, 'user_banned', 'User is banned');
      if (!user.email_confirmed_at) throw new AuthError(400, 'email_not_confirmed', 'Email not confirmed');
      return c.json(await session(user, c.req.raw));
    }
    if (grantType === 'refresh_token') {
      const body = await jsonBody(c.req.raw, RefreshGrantBody);
      if (!body.refresh_token) {
        return c.json({ error: 'invalid_request', error_description: 'refresh_token required' }, 400);
      }
      const rotated = await rotateRefreshToken(pool, body.refresh_token, {
        rotation: settings.refreshTokenRotation,
        reuseIntervalSeconds: settings.refreshTokenReuseIntervalSeconds,
      });
      const user = await userById(pool, rotated.userId);
      if (!user)
        throw new AuthError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
      return c.json(
        await issueAccessToken(signingKey, settings, user, {
          ...rotated,
          method: 'password',
          authenticatedAt: Math.floor((user.last_sign_in_at ?? new Date()).getTime() / 1000),
        }),
      );
    }
    if (grantType && ['id_token', 'pkce', 'web3'].includes(grantType)) {
      throw new AuthError(
        400,
        'validation_failed',
        `grant_type=${grantType} is not supported by the local Auth stand-in (email and password only); \`supabase start\` runs GoTrue, which supports it`,
      );
    }
    throw new AuthError(400, 'invalid_credentials', 'unsupported_grant_type');
  });

  /** GoTrue's `requireAuthentication`: a bearer token of an existing user whose session, if named, exists. */
  async function authenticated(request: Request): Promise<{ claims: BearerClaims; user: UserRow }> {
    const match = request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i);
    if (!match?.[1])
      throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
    const claims = await verifyBearer(match[1]);
    if (!claims.sub) throw new AuthError(403, 'bad_jwt', 'invalid claim: missing sub claim');
    if (!z.uuid().safeParse(claims.sub).success) {
      throw new AuthError(400, 'bad_jwt', 'invalid claim: sub claim must be a UUID');
    }
    const user = await userById(pool, claims.sub);
    if (!user) throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
    if (claims.session_id) {
      if (!z.uuid().safeParse(claims.session_id).success) {
        throw new AuthError(403, 'bad_jwt', 'invalid claim: session_id claim must be a UUID');
      }
      if (!(await sessionExists(pool, claims.session_id))) {
        throw new AuthError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
      }
    }
    return { claims, user };
  }

  app.get('/user', async (c) => {
    const { user } = await authenticated(c.req.raw);
    return c.json(userJson(user));
  });

  app.post('/logout', async (c) => {
    const scope = c.req.query('scope') ?? 'global';
    if (!['', 'global', 'local', 'others'].includes(scope)) {
      throw new AuthError(400, 'validation_failed', `Unsupported logout scope "${scope}"`);
    }
    const { claims, user } = await authenticated(c.req.raw);
    await endSessions(pool, user.id, claims.session_id, (scope || 'global') as 'global' | 'local' | 'others');
    return c.body(null, 204);
  });

  app.all('*', (c) => {
    throw new AuthError(
      404,
      'not_found',
      `${c.req.method} ${c.req.path} is not served by the local Auth stand-in (email and password sign-up and sign-in, refresh, user, logout, JWKS); \`supabase start\` runs GoTrue, which serves it`,
    );
  });

  return app;
}
