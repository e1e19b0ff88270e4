import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveConsole } from '../../local/console.ts';
import { ApiError, createApiClient } from '../../shared/client.ts';
import { FUNCTIONS } from '../../shared/functions.ts';
import { createUser } from '../support/db.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

describe('the API reference of every function', () => {
  it.each(Object.keys(FUNCTIONS))(
    '%s serves its OpenAPI document as JSON and no HTML page of its own',
    async (name) => {
      const auth = { headers: { Authorization: `Bearer ${stack.serviceKey}` } };
      const response = await fetch(`${stack.url}/functions/v1/${name}/openapi.json`, auth);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const doc = await response.json();
      expect(doc).toMatchObject({ openapi: '3.1.0', info: { title: `${name} function` } });
      expect(Object.keys(doc.paths).length).toBeGreaterThan(1);
      // "Try it" and generated clients join the server and a path: that must be where the function answers.
      expect(doc.servers).toEqual([{ url: `${stack.url}/functions/v1`, description: 'This project' }]);
      expect(Object.keys(doc.paths)).toContain(`/${name}/health`);
      const health = await fetch(`${doc.servers[0].url}/${name}/health`, auth);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', function: name });
      // Hosted Edge rewrites a function's text/html to text/plain on the default domain: the console renders it.
      // (/docs is no route: 404, or 403 where a route with a parameter takes it for an id only a user may read.)
      expect(Object.keys(doc.paths)).not.toContain(`/${name}/docs`);
      const old = await fetch(`${stack.url}/functions/v1/${name}/docs`, auth);
      expect([403, 404]).toContain(old.status);
      expect(old.headers.get('content-type')).toMatch(/^application\/json/);
    },
  );

  it('keeps the OpenAPI document itself behind a token', async () => {
    expect((await fetch(`${stack.url}/functions/v1/ai/openapi.json`)).status).toBe(401);
  });

  it('is served by the console: the reference page and Scalar from its own origin, the document from the project', async () => {
    const server = await serveConsole({
      port: 0,
      host: '127.0.0.1',
      supabaseUrl: stack.url,
      anonKey: stack.anonKey,
    });
    try {
      const page = await fetch(`${server.url}/api-reference.html`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ${stack.url}`);
      const html = await page.text();
      const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
      expect(sources.filter((source) => /^(https?:)?\/\//.test(source))).toEqual([]);
      const scalar = await fetch(`${server.url}/scalar/standalone.esm.js`);
      expect(scalar.status).toBe(200);
      expect(scalar.headers.get('content-type')).toMatch(/javascript/);
      expect((await scalar.text()).length).toBeGreaterThan(100_000);
      // The page reads the document with the anon key when nobody is signed in.
      const doc = await fetch(`${stack.url}/functions/v1/workflows/openapi.json`, {
        headers: { Authorization: `Bearer ${stack.anonKey}` },
      });
      expect(doc.status).toBe(200);
    } finally {
      await server.close();
    }
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
