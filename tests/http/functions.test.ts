import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../shared/functions.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

const names = Object.keys(FUNCTIONS);

describe('every function', () => {
  it.each(names)('%s answers its health check with the database reachable', async (name) => {
    const { data, error } = await stack
      .client(stack.serviceKey)
      .functions.invoke(`${name}/health`, { method: 'GET' });
    expect(error).toBeNull();
    expect(data).toMatchObject({ status: 'ok', function: name, database: { ok: true } });
  });

  it.each(names)('%s serves an OpenAPI 3.1 document that lists its health route', async (name) => {
    const response = await fetch(`${stack.url}/functions/v1/${name}/openapi.json`, {
      headers: { Authorization: `Bearer ${stack.serviceKey}` },
    });
    expect(response.status).toBe(200);
    const doc = await response.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain(`/${name}/health`);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it.each(names)('%s answers CORS preflights for browser callers without a token', async (name) => {
    const response = await fetch(`${stack.url}/functions/v1/${name}/health`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:3000',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, x-client-info, apikey, content-type',
      },
    });
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toContain('apikey');
  });

  it('returns a request id header and echoes it in error bodies', async () => {
    const response = await fetch(`${stack.url}/functions/v1/ai/no-such-route`, {
      headers: { Authorization: `Bearer ${stack.anonKey}`, 'X-Request-Id': 'req-123' },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('req-123');
    expect(await response.json()).toEqual({
      error: { code: 'not_found', message: 'No such route', requestId: 'req-123' },
    });
  });

  it('answers 404 for a function that does not exist', async () => {
    const response = await fetch(`${stack.url}/functions/v1/nope/health`);
    expect(response.status).toBe(404);
  });

  it('answers 503 from health when the database is unreachable', async () => {
    const broken = await startTestStack({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none' });
    try {
      const response = await fetch(`${broken.url}/functions/v1/ai/health`, {
        headers: { Authorization: `Bearer ${broken.anonKey}` },
      });
      expect(response.status).toBe(503);
      expect((await response.json()).error.code).toBe('unavailable');
    } finally {
      await broken.stop();
    }
  });
});
