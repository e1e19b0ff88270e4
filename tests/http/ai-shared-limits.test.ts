import { FunctionsHttpError } from '@supabase/supabase-js';
import pg from 'pg';
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
  // Both instances are one deployment: the same per-user request limit as the test stack's, so the second
  // instance's 429 can only be the provider pace's (an instance with a lower limit would see the stack's lease
  // of limit / 40 as its whole minute used).
  USER_RATE_LIMIT_PER_MINUTE: '1000000',
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
  it('holds across function instances: the start one took on one instance is not free for the other', async () => {
    const client = stack.client(await stack.userToken(userId));
    const { error } = await client.functions.invoke('ai/analyze', {
      method: 'POST',
      body: { text: 'doc 1' },
    });
    expect(error).toBeNull();
    // At 2 a minute the next start is 30 s away, past this deployment's patience (0): 429 at once.
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
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(25);
    expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(31);
    expect((await response.json()).error.code).toBe('rate_limited');
    expect(fake.requests).toHaveLength(1);
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

describe('the provider pace at a realistic rate, shared by two instances', () => {
  let paced: FakeOpenAi;
  const instances: AppServices[] = [];
  beforeAll(async () => {
    paced = await startFakeOpenAi(validAnswer);
    // The tests above left the provider's next start 30 s ahead (at 2 a minute): this is another deployment.
    const admin = new pg.Client({ connectionString: stack.database.url });
    await admin.connect();
    await admin.query('delete from ai_private.ai_provider_pace');
    await admin.end();
    for (let i = 0; i < 2; i++) {
      instances.push(
        createServices({
          DATABASE_URL: stack.database.url,
          JWT_SECRET: LOCAL_JWT_SECRET,
          LOG_LEVEL: 'error',
          AI_PROVIDER: 'openai',
          OPENAI_API_KEY: paced.apiKey,
          OPENAI_BASE_URL: paced.baseUrl,
          AI_RATE_LIMIT_RPM: '600',
          USER_RATE_LIMIT_PER_MINUTE: '1000000',
        }),
      );
    }
  });
  afterAll(async () => {
    for (const instance of instances) await instance.db.close();
    await paced.stop();
  });

  /** Three calls on each instance at once, each a text of its own (no cache, no shared in-flight call). */
  const sixCalls = (tag: string) =>
    Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        instances[i % 2]!.ai.sentiment({ text: `${tag} text ${i}` }, { userId, rateLimitPatienceMs: 30_000 }),
      ),
    );

  it('spaces the calls of both instances 60 s / RPM apart at the provider: no burst', async () => {
    paced.reset();
    const outcomes = await sixCalls('spaced');
    expect(outcomes.every((o) => !o.cached)).toBe(true);
    const arrivals = paced.requests.map((r) => r.at).sort((a, b) => a - b);
    expect(arrivals).toHaveLength(6);
    // Starts 101 ms apart; what reaches the fake also carries each call's own latency (a cold connection).
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(5 * 101 - 100);
    for (let i = 2; i < arrivals.length; i++)
      expect(arrivals[i]! - arrivals[i - 2]!).toBeGreaterThanOrEqual(101);
  });

  it("honours a 429's Retry-After for every caller of every instance at once", async () => {
    paced.reset();
    paced.script({
      status: 429,
      headers: { 'retry-after': '1' },
      body: { error: { message: 'Rate limit reached for requests', code: 'rate_limit_exceeded' } },
    });
    const outcomes = await sixCalls('blocked');
    expect(outcomes).toHaveLength(6);
    const [refused, ...after] = paced.requests.map((r) => r.at).sort((a, b) => a - b);
    expect(paced.requests).toHaveLength(7);
    // Nobody, on either instance, went to the provider during the second it asked for.
    expect(Math.min(...after) - refused!).toBeGreaterThanOrEqual(990);
  });
});
