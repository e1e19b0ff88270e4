import { randomUUID } from 'node:crypto';
import {
  AuthApiError,
  AuthWeakPasswordError,
  createClient,
  type SupabaseClient,
} from '@supabase/supabase-js';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

/** A supabase-js client as a frontend builds one: URL and anon key, session kept in memory. */
function browserClient(): SupabaseClient {
  return createClient(stack.url, stack.anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
}

const newEmail = () => `user-${randomUUID()}@example.test`;

async function sql<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: stack.database.url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe('Auth stand-in at /auth/v1 with supabase-js', () => {
  it('signs up a user with a session whose ES256 token carries the claims Supabase Auth issues', async () => {
    const supabase = browserClient();
    const email = newEmail();
    const { data, error } = await supabase.auth.signUp({
      email,
      password: 'correct horse',
      options: { data: { plan: 'free' } },
    });
    expect(error).toBeNull();
    const session = data.session;
    if (!session || !data.user) throw new Error('sign-up returned no session');
    expect(data.user).toMatchObject({
      email,
      aud: 'authenticated',
      role: 'authenticated',
      is_anonymous: false,
    });
    expect(data.user.user_metadata).toEqual({ plan: 'free' });
    expect(session).toMatchObject({ token_type: 'bearer', expires_in: 3600 });

    const header = decodeProtectedHeader(session.access_token);
    const jwks = (await (await fetch(`${stack.url}/auth/v1/.well-known/jwks.json`)).json()) as {
      keys: { kid: string; alg: string; kty: string; d?: string }[];
    };
    expect(header).toEqual({ alg: 'ES256', kid: jwks.keys[0]?.kid, typ: 'JWT' });
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ alg: 'ES256', kty: 'EC' });
    expect(jwks.keys[0]?.d).toBeUndefined();

    const claims = decodeJwt(session.access_token);
    expect(Object.keys(claims).sort()).toEqual(
      [
        'aal',
        'amr',
        'app_metadata',
        'aud',
        'email',
        'exp',
        'iat',
        'is_anonymous',
        'iss',
        'phone',
        'role',
        'session_id',
        'sub',
        'user_metadata',
      ].sort(),
    );
    expect(claims).toMatchObject({
      sub: data.user.id,
      role: 'authenticated',
      aud: 'authenticated',
      email,
      iss: `${stack.url}/auth/v1`,
      is_anonymous: false,
      aal: 'aal1',
      session_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);

    const [stored] = await sql<{ encrypted_password: string }>(
      'select encrypted_password from auth.users where id = $1',
      [data.user.id],
    );
    expect(stored?.encrypted_password).toMatch(/^\$2a\$10\$/);
  });

  it('answers GoTrue error codes: user_already_exists, weak_password, validation_failed, invalid_credentials', async () => {
    const supabase = browserClient();
    const email = newEmail();
    await supabase.auth.signUp({ email, password: 'first password' });

    const again = await supabase.auth.signUp({ email, password: 'another password' });
    expect(again.error).toBeInstanceOf(AuthApiError);
    expect(again.error).toMatchObject({
      status: 422,
      code: 'user_already_exists',
      message: 'User already registered',
    });

    const weak = await supabase.auth.signUp({ email: newEmail(), password: '123' });
    expect(weak.error).toBeInstanceOf(AuthWeakPasswordError);
    expect(weak.error).toMatchObject({ status: 422, code: 'weak_password', reasons: ['length'] });

    const badEmail = await supabase.auth.signUp({ email: 'not-an-email', password: 'long enough' });
    expect(badEmail.error).toMatchObject({ status: 400, code: 'validation_failed' });

    const wrong = await supabase.auth.signInWithPassword({ email, password: 'wrong password' });
    expect(wrong.error).toMatchObject({
      status: 400,
      code: 'invalid_credentials',
      message: 'Invalid login credentials',
    });
    const unknown = await supabase.auth.signInWithPassword({ email: newEmail(), password: 'first password' });
    expect(unknown.error).toMatchObject({ status: 400, code: 'invalid_credentials' });
  });

  it('signs in, gets the user, rotates the refresh token, and signs out for good', async () => {
    const email = newEmail();
    await browserClient().auth.signUp({ email, password: 'sign in twice' });
    const supabase = browserClient();
    const signIn = await supabase.auth.signInWithPassword({
      email: email.toUpperCase(),
      password: 'sign in twice',
    });
    expect(signIn.error).toBeNull();
    const first = signIn.data.session;
    if (!first) throw new Error('no session');

    const user = await supabase.auth.getUser();
    expect(user.error).toBeNull();
    expect(user.data.user).toMatchObject({ id: signIn.data.user?.id, email });

    const refreshed = await supabase.auth.refreshSession();
    expect(refreshed.error).toBeNull();
    const second = refreshed.data.session;
    if (!second) throw new Error('no refreshed session');
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(second.access_token).session_id).toBe(decodeJwt(first.access_token).session_id);

    // The old token once more, past the reuse interval: treated as stolen, every token of its session is revoked
    // (GoTrue's RevokeTokenFamily; as there, the newest stays usable for the reuse interval).
    await sql(`update auth.refresh_tokens set updated_at = now() - interval '1 minute' where revoked`);
    const reused = await browserClient().auth.refreshSession({ refresh_token: first.refresh_token });
    expect(reused.error).toMatchObject({ status: 400, code: 'refresh_token_already_used' });
    const tokens = await sql<{ revoked: boolean }>(
      'select revoked from auth.refresh_tokens where session_id = $1',
      [decodeJwt(first.access_token).session_id],
    );
    expect(tokens.map((token) => token.revoked)).toEqual([true, true]);

    const other = browserClient();
    const fresh = await other.auth.signInWithPassword({ email, password: 'sign in twice' });
    const token = fresh.data.session?.access_token ?? '';
    expect((await other.auth.signOut()).error).toBeNull();
    const afterSignOut = await browserClient().auth.getUser(token);
    expect(afterSignOut.error).toMatchObject({ name: 'AuthSessionMissingError' });
    const refreshAfter = await browserClient().auth.refreshSession({
      refresh_token: fresh.data.session?.refresh_token ?? '',
    });
    expect(refreshAfter.error).toMatchObject({ status: 400, code: 'refresh_token_not_found' });
  });

  it('lets functions.invoke through with the session token, verified against the JWKS', async () => {
    const supabase = browserClient();
    const { data: signUp } = await supabase.auth.signUp({ email: newEmail(), password: 'invoke me' });
    const { data, error } = await supabase.functions.invoke('ai/me', { method: 'GET' });
    expect(error).toBeNull();
    expect(data).toMatchObject({ userId: signUp.user?.id, role: 'authenticated' });
  });

  it('refuses requests without an API key and answers a clear 404 outside the stand-in', async () => {
    const missing = await fetch(`${stack.url}/auth/v1/user`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ message: 'No API key found in request' });
    const otp = await fetch(`${stack.url}/auth/v1/otp`, {
      method: 'POST',
      headers: {
        apikey: stack.anonKey,
        'X-Supabase-Api-Version': '2024-01-01',
        'Content-Type': 'application/json',
      },
      body: '{}',
    });
    expect(otp.status).toBe(404);
    expect(await otp.json()).toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('supabase start'),
    });
    const badJson = await fetch(`${stack.url}/auth/v1/signup`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, 'Content-Type': 'application/json' },
      body: '{"email":',
    });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ code: 400, error_code: 'bad_json' });
  });
});
