import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createApiClient } from '../../shared/client.ts';
import { FUNCTIONS } from '../../shared/functions.ts';
import { createUser } from '../support/db.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

describe('the browsable API reference of every function', () => {
  it.each(Object.keys(FUNCTIONS))(
    'serves /%s/docs without a token, with every route and no network',
    async (name) => {
      const response = await fetch(`${stack.url}/functions/v1/${name}/docs`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      const html = await response.text();
      const inlined = JSON.parse(
        html.match(/<script type="application\/json" id="openapi">([\s\S]*?)<\/script>/)![1]!,
      );
      const doc = await (
        await fetch(`${stack.url}/functions/v1/${name}/openapi.json`, {
          headers: { Authorization: `Bearer ${stack.serviceKey}` },
        })
      ).json();
      expect(Object.keys(inlined.paths).sort()).toEqual(Object.keys(doc.paths).sort());
      expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    },
  );

  it('keeps the OpenAPI document itself behind a token', async () => {
    expect((await fetch(`${stack.url}/functions/v1/ai/openapi.json`)).status).toBe(401);
  });
});

describe('the typed client against the running functions', () => {
  it('calls endpoints through supabase-js and surfaces errors as ApiError', async () => {
    const userId = await createUser(stack.database.url);
    const api = createApiClient(stack.client(await stack.userToken(userId)));
    expect(await api.ai.me()).toEqual({ userId, email: null, role: 'authenticated' });
    expect((await api.ai.metrics({ window: '1h' })).scope).toBe('user');
    expect((await api.ai.sentiment({ text: 'The renewal went well, thanks!' })).result.label).toBe(
      'positive',
    );
    const error = await api.classification.getBatch('not-a-uuid').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'bad_request' });
  });
});
