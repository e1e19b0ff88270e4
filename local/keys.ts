import { SignJWT } from 'jose';

/** The JWT secret of Supabase's local development stack; the local stack uses it unless JWT_SECRET is set. */
export const LOCAL_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
/** The demo user created by supabase/seed.sql. */
export const DEMO_USER_ID = '00000000-0000-4000-8000-000000000001';
/** The demo user's email and password (supabase/seed.sql), for `supabase.auth.signInWithPassword`. */
export const DEMO_USER_EMAIL = 'demo@example.com';
export const DEMO_USER_PASSWORD = 'demo-password';

export type TokenRole = 'anon' | 'authenticated' | 'service_role';

export interface TokenOptions {
  role?: TokenRole;
  sub?: string;
  email?: string;
  expiresInSeconds?: number;
  secret?: string;
}

/** Signs a token the way Supabase Auth does (HS256 with the project's JWT secret). */
export async function signToken(options: TokenOptions = {}): Promise<string> {
  const role = options.role ?? 'authenticated';
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { role, iss: 'supabase-local' };
  if (role === 'authenticated') {
    claims.aud = 'authenticated';
    claims.sub = options.sub ?? DEMO_USER_ID;
    if (options.email) claims.email = options.email;
  }
  // API keys (anon, service_role) are long-lived; user sessions last an hour, as in Supabase Auth.
  const lifetime = options.expiresInSeconds ?? (role === 'authenticated' ? 3600 : 10 * 365 * 24 * 3600);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + lifetime)
    .sign(new TextEncoder().encode(options.secret ?? process.env.JWT_SECRET ?? LOCAL_JWT_SECRET));
}
