import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUser } from '../support/db.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';
import { callFunction } from '../support/harness.ts';
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
  return callFunction(stack, 'ai/analyze', {
    method: 'POST',
    token: await stack.userToken(userId),
    json: body,
  });
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

  it('counts a paid call in flight, and refuses paid calls (503) when the ledger cannot be read or written', async () => {
    const user = await createUser(stack.database.url);
    // A call whose process died before logging it still counts, at its estimate.
    await db.query(
      `insert into ai_private.ai_calls_in_flight (user_id, operation, provider, cost_usd) values ($1, 'analyze', 'openai', 2)`,
      [user],
    );
    expect((await analyze(user)).status).toBe(429);
    expect(fake.requests).toHaveLength(0);

    const other = await createUser(stack.database.url);
    const grant = (revoke: string) => revoke.replace('revoke', 'grant').replace(' from ', ' to ');
    const refuseSent = `create function public.test_refuse_sent() returns trigger language plpgsql
                          as $$ begin raise exception 'the ledger refuses writes'; end $$;
                        create trigger refuse_sent before update on ai_private.ai_calls_in_flight
                          for each row execute function public.test_refuse_sent()`;
    for (const [broken, mended] of [
      // The budget cannot be read; the call cannot be opened; it is opened but cannot be marked sent when the
      // pacer lets it go (its row is then deleted, unlogged: nothing was asked).
      ['revoke select on table public.ai_processing_logs from service_role'],
      ['revoke insert on table ai_private.ai_calls_in_flight from service_role'],
      [
        refuseSent,
        'drop trigger refuse_sent on ai_private.ai_calls_in_flight; drop function public.test_refuse_sent()',
      ],
    ] as [string, string?][]) {
      await db.query(broken);
      try {
        const refused = await analyze(other);
        expect(refused.status).toBe(503);
        expect(refused.body.error.code).toBe('unavailable');
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(fake.requests).toHaveLength(0);
      } finally {
        await db.query(mended ?? grant(broken));
      }
      const { rows } = await db.query(
        `select (select count(*) from public.ai_processing_logs where user_id = $1)::int as logged,
                (select count(*) from ai_private.ai_calls_in_flight where user_id = $1)::int as in_flight`,
        [other],
      );
      expect(rows[0]).toEqual({ logged: 0, in_flight: 0 });
    }
    // The ledger back, the same call is made, and logged with its in-flight row gone.
    expect((await analyze(other)).status).toBe(200);
    expect(fake.requests).toHaveLength(1);
    const { rows } = await db.query(
      `select (select count(*) from public.ai_processing_logs where user_id = $1)::int as logged,
              (select count(*) from ai_private.ai_calls_in_flight where user_id = $1)::int as in_flight`,
      [other],
    );
    expect(rows[0]).toEqual({ logged: 1, in_flight: 0 });
  });
});
