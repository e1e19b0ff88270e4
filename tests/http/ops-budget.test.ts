import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUser } from '../support/db.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';
import { validAnswer } from '../support/openai-answers.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let fake: FakeOpenAi;
let stack: TestStack;
let db: pg.Client;

beforeAll(async () => {
  fake = await startFakeOpenAi(validAnswer);
  stack = await startTestStack({
    OPENAI_API_KEY: fake.apiKey,
    OPENAI_BASE_URL: fake.baseUrl,
    AI_DAILY_COST_BUDGET_USD: '2',
    AI_CACHE_TTL_SECONDS: '0',
  });
  db = new pg.Client({ connectionString: stack.database.url });
  await db.connect();
});
beforeEach(() => fake.reset());
afterAll(async () => {
  await db.end();
  await stack.stop();
  await fake.stop();
});

async function analyze(userId: string, body: object = { text: 'The renewal call with Dana went well.' }) {
  const response = await fetch(`${stack.url}/functions/v1/ai/analyze`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await stack.userToken(userId)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

async function spent(userId: string, usd: number) {
  await db.query(
    `insert into public.ai_processing_logs (user_id, operation, provider, status, cost_usd)
     values ($1, 'analyze', 'openai', 'success', $2)`,
    [userId, usd],
  );
}

describe('the daily AI cost budget on provider calls', () => {
  it('stops paid calls with 429 budget_exceeded once the day’s spend reaches the budget, before OpenAI is asked', async () => {
    const user = await createUser(stack.database.url);
    expect((await analyze(user)).status).toBe(200);
    expect(fake.requests).toHaveLength(1);
    await spent(user, 2);
    const refused = await analyze(user);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      error: { code: 'budget_exceeded', message: expect.stringContaining('$2.00') },
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(1);
  });

  it("leaves other users' calls and the free local provider alone", async () => {
    const spender = await createUser(stack.database.url);
    const other = await createUser(stack.database.url);
    await spent(spender, 5);
    expect((await analyze(other)).status).toBe(200);
    const local = await analyze(spender, { text: 'The renewal call went well.', provider: 'local' });
    expect(local.status).toBe(200);
    expect(local.body.provider).toBe('local');
  });
});
