import { FunctionsHttpError } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_JWT_SECRET, signToken } from '../../local/keys.ts';
import { createAiApp } from '../../shared/ai/app.ts';
import { createServices } from '../../shared/runtime.ts';
import type { AppServices } from '../../shared/services.ts';
import { logsOf } from '../support/ai-logs.ts';
import { createUser } from '../support/db.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';
import { validAnswer } from '../support/openai-answers.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let fake: FakeOpenAi;
let stack: TestStack;
let second: AppServices;
let userId: string;
const env = () => ({
  OPENAI_API_KEY: fake.apiKey,
  OPENAI_BASE_URL: fake.baseUrl,
  AI_RATE_LIMIT_RPM: '2',
  AI_RATE_LIMIT_MAX_WAIT_MS: '0',
});

beforeAll(async () => {
  fake = await startFakeOpenAi(validAnswer);
  stack = await startTestStack(env());
  // Another function instance (its own process state and pool) on the same database.
  second = createServices({
    DATABASE_URL: stack.database.url,
    JWT_SECRET: LOCAL_JWT_SECRET,
    LOG_LEVEL: 'error',
    ...env(),
  });
  userId = await createUser(stack.database.url);
});
afterAll(async () => {
  await second.db.close();
  await stack.stop();
  await fake.stop();
});

describe('the provider rate limit shared through Postgres', () => {
  it('holds across function instances: the budget two calls spent on one is gone for the other', async () => {
    const client = stack.client(await stack.userToken(userId));
    for (const n of [1, 2]) {
      const { error } = await client.functions.invoke('ai/analyze', {
        method: 'POST',
        body: { text: `doc ${n}` },
      });
      expect(error).toBeNull();
    }
    const response = await createAiApp(second).fetch(
      new Request('http://local/ai/analyze', {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${await signToken({ sub: userId })}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ text: 'doc 3' }),
      }),
    );
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await response.json()).error.code).toBe('rate_limited');
    expect(fake.requests).toHaveLength(2);
    expect((await logsOf(stack.database.url, userId)).at(-1)).toMatchObject({
      status: 'error',
      error_code: 'rate_limited',
      tokens_in: 0,
    });
  });

  it('still serves cached answers while the budget is spent', async () => {
    const { data, error } = await stack
      .client(await stack.userToken(userId))
      .functions.invoke('ai/analyze', { method: 'POST', body: { text: 'doc 1' } });
    expect(error).toBeNull();
    expect(data.cached).toBe(true);
  });

  it('answers 429 to supabase-js callers too', async () => {
    const { error } = await stack
      .client(await stack.userToken(userId))
      .functions.invoke('ai/sentiment', { method: 'POST', body: { text: 'new text' } });
    expect(error).toBeInstanceOf(FunctionsHttpError);
    expect((error as FunctionsHttpError).context.status).toBe(429);
  });
});
