import { randomUUID } from 'node:crypto';
import { FunctionsHttpError } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../local/keys.ts';
import { createUser } from '../support/db.ts';
import { callFunction, statusAndBody } from '../support/harness.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let userId: string;

beforeAll(async () => {
  stack = await startTestStack();
  userId = await createUser(stack.database.url, randomUUID());
});
afterAll(() => stack.stop());

async function statusOf(token: string | undefined, path: string): Promise<{ status: number; body: unknown }> {
  return callFunction(stack, path, { token }).then(statusAndBody);
}

describe('authentication on every function', () => {
  it('lets a signed-in user in through supabase-js functions.invoke', async () => {
    const { data, error } = await stack.client(await stack.userToken(userId)).functions.invoke('ai/me', {
      method: 'GET',
    });
    expect(error).toBeNull();
    expect(data).toEqual({ userId, email: null, role: 'authenticated' });
  });

  it('answers 401 with a stable error body when the token is missing', async () => {
    const { status, body } = await statusOf(undefined, 'ai/me');
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it.each([
    ['malformed', async () => 'not.a.token'],
    ['expired', async () => signToken({ sub: userId, expiresInSeconds: -10 })],
    ['wrongly signed', async () => signToken({ sub: userId, secret: 'x'.repeat(40) })],
    ['anon', async () => signToken({ role: 'anon' })],
  ])('answers 401 to a %s token on a user endpoint', async (_kind, token) => {
    const { status, body } = await statusOf(await token(), 'ai/me');
    expect(status).toBe(401);
    expect((body as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('surfaces the 401 as a FunctionsHttpError to supabase-js callers using only the anon key', async () => {
    const { error } = await stack.client().functions.invoke('ai/me', { method: 'GET' });
    expect(error).toBeInstanceOf(FunctionsHttpError);
    expect((error as FunctionsHttpError).context.status).toBe(401);
  });

  it('lets the jobs function refuse user tokens with 403', async () => {
    const { status, body } = await statusOf(await stack.userToken(userId), 'jobs/health');
    expect(status).toBe(403);
    expect((body as { error: { code: string } }).error.code).toBe('forbidden');
  });

  it('lets the jobs function refuse the anon key with 401 and accept the service role', async () => {
    expect((await statusOf(stack.anonKey, 'jobs/health')).status).toBe(401);
    expect((await statusOf(stack.serviceKey, 'jobs/health')).status).toBe(200);
  });

  it('never puts the token or internals in an error body', async () => {
    const token = await signToken({ sub: userId, secret: 'y'.repeat(40) });
    const { body } = await statusOf(token, 'ai/me');
    expect(JSON.stringify(body)).not.toContain(token);
    expect(JSON.stringify(body)).not.toMatch(/stack|at \w+ \(/);
  });
});
