import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_JWT_SECRET } from '../../local/keys.ts';
import { CLIENT_ROUTES, createApiClient, type FunctionsInvoker } from '../../shared/client.ts';
import { FUNCTIONS } from '../../shared/functions.ts';
import { createServices } from '../../shared/runtime.ts';

// Apps are built without touching the database: the pool connects on first use only.
const services = createServices({
  DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none',
  JWT_SECRET: LOCAL_JWT_SECRET,
});
afterAll(() => services.db.close());

/** Every route of every function, from its OpenAPI document. */
function documentedRoutes(): string[] {
  const routes: string[] = [];
  for (const [name, create] of Object.entries(FUNCTIONS)) {
    const doc = create(services).getOpenAPI31Document({
      openapi: '3.1.0',
      info: { title: name, version: '0' },
    });
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const method of Object.keys(item ?? {})) routes.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return routes.sort();
}

describe('the typed client', () => {
  it('has one function for every endpoint of every function (but the Attendee webhook)', () => {
    const expected = documentedRoutes().filter((route) => route !== 'POST /bots/webhooks/attendee');
    expect([...CLIENT_ROUTES].sort()).toEqual(expected);
  });

  it('fills path parameters, encodes the query and passes method and body to functions.invoke', async () => {
    const calls: unknown[] = [];
    const invoker: FunctionsInvoker = {
      functions: {
        async invoke<T>(name: string, options?: unknown) {
          calls.push({ name, options });
          return { data: { ok: true } as T, error: null };
        },
      },
    };
    const api = createApiClient(invoker);
    await api.classification.getBatch('a/b', { limit: 5, status: 'failed' });
    await api.workflows.list({ includeInactive: true });
    await api.ai.sentiment({ text: 'Great call' });
    expect(calls).toEqual([
      {
        name: 'classification/batches/a%2Fb?limit=5&status=failed',
        options: { method: 'GET', body: undefined },
      },
      { name: 'workflows?includeInactive=true', options: { method: 'GET', body: undefined } },
      { name: 'ai/sentiment', options: { method: 'POST', body: { text: 'Great call' } } },
    ]);
  });

  it('throws ApiError with the status, stable code and Retry-After of an error answer', async () => {
    const invoker: FunctionsInvoker = {
      functions: {
        async invoke() {
          const context = new Response(
            JSON.stringify({ error: { code: 'rate_limited', message: 'Too many' } }),
            {
              status: 429,
              headers: { 'Retry-After': '7' },
            },
          );
          return {
            data: null,
            error: Object.assign(new Error('Edge Function returned a non-2xx status code'), { context }),
          };
        },
      },
    };
    await expect(createApiClient(invoker).ai.me()).rejects.toMatchObject({
      name: 'ApiError',
      status: 429,
      code: 'rate_limited',
      message: 'Too many',
      retryAfterSeconds: 7,
    });
  });
});
