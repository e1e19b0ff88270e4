import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_JWT_SECRET } from '../../local/keys.ts';
import { createAiApp } from '../../shared/ai/app.ts';
import { createServices } from '../../shared/runtime.ts';
import { createUser } from '../support/db.ts';
import { type CallInit, callFunction } from '../support/harness.ts';
import { closeServices } from '../support/jobs.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

const LIMIT = 5;
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({
    USER_RATE_LIMIT_PER_MINUTE: String(LIMIT),
    MAX_REQUEST_BODY_BYTES: '65536',
  });
});
afterAll(() => stack.stop());

/** Waits until at least `seconds` are left in the current minute, so a test's requests share one window. */
async function awayFromMinuteEdge(seconds = 12) {
  const left = 60 - new Date().getUTCSeconds();
  if (left < seconds) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 200));
}

async function call(token: string, path = 'ai/me', init: CallInit = {}) {
  return callFunction(stack, path, { ...init, token });
}

describe('per-user rate limits on every endpoint', () => {
  it('answers 429 rate_limited with Retry-After once a user used up their minute', async () => {
    await awayFromMinuteEdge();
    const token = await stack.userToken(await createUser(stack.database.url));
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await call(token)).status);
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    const limited = await call(token, 'classification/health');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { code: 'rate_limited', message: expect.any(String) } });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
  });

  it("keeps each user's budget their own and leaves the service role unlimited", async () => {
    await awayFromMinuteEdge();
    const busy = await stack.userToken(await createUser(stack.database.url));
    const quiet = await stack.userToken(await createUser(stack.database.url));
    for (let i = 0; i <= LIMIT; i++) await call(busy);
    expect((await call(busy)).status).toBe(429);
    expect((await call(quiet)).status).toBe(200);
    for (let i = 0; i <= LIMIT; i++) expect((await call(stack.serviceKey, 'jobs/health')).status).toBe(200);
  });

  it('shares one budget between instances of the functions', async () => {
    await awayFromMinuteEdge();
    const other = createServices({
      DATABASE_URL: stack.database.url,
      JWT_SECRET: LOCAL_JWT_SECRET,
      LOG_LEVEL: 'error',
      USER_RATE_LIMIT_PER_MINUTE: String(LIMIT),
    });
    try {
      const secondInstance = createAiApp(other);
      const token = await stack.userToken(await createUser(stack.database.url));
      const viaSecond = async () =>
        secondInstance.fetch(
          new Request('http://local/ai/me', { headers: { Authorization: `Bearer ${token}` } }),
        );
      const statuses = await Promise.all(
        Array.from({ length: 2 * LIMIT }, (_, i) =>
          (i % 2
            ? viaSecond()
            : fetch(`${stack.url}/functions/v1/ai/me`, { headers: { Authorization: `Bearer ${token}` } })
          ).then((r: Response) => r.status),
        ),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
      expect(statuses.filter((s) => s === 429)).toHaveLength(LIMIT);
    } finally {
      await closeServices(other);
    }
  });
});

describe('request size limits', () => {
  it('answers 413 payload_too_large in the standard error body, whether the size is declared or streamed', async () => {
    const token = await stack.userToken(await createUser(stack.database.url));
    const big = JSON.stringify({ text: 'x'.repeat(70_000) });
    const declared = await call(token, 'ai/sentiment', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({
      error: { code: 'payload_too_large', message: expect.any(String) },
    });

    const streamed = await call(token, 'ai/sentiment', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      }),
      duplex: 'half',
    } as CallInit);
    expect(streamed.status).toBe(413);
    expect(streamed.body).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('lets POST /classification/batch take a larger body than other routes', async () => {
    const token = await stack.userToken(await createUser(stack.database.url));
    const documents = Array.from({ length: 20 }, (_, i) => ({ text: `document ${i} ${'y'.repeat(5_000)}` }));
    const response = await call(token, 'classification/batch', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ documents }),
    });
    expect(response.status).not.toBe(413);
    expect(response.status).toBeLessThan(500);
  });
});
