import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { logsOf, query } from '../support/ai-logs.ts';
import { createUser } from '../support/db.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';
import { invokeFunction } from '../support/harness.ts';
import { validAnswer } from '../support/openai-answers.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let fake: FakeOpenAi;
let stack: TestStack;
let userId: string;
let client: SupabaseClient;

beforeAll(async () => {
  fake = await startFakeOpenAi(validAnswer);
  stack = await startTestStack({
    OPENAI_API_KEY: fake.apiKey,
    OPENAI_BASE_URL: fake.baseUrl,
    OPENAI_TIMEOUT_MS: '1000',
    OPENAI_MAX_RETRIES: '2',
  });
  userId = await createUser(stack.database.url);
  client = stack.client(await stack.userToken(userId));
});
beforeEach(() => fake.reset());
afterAll(async () => {
  await stack.stop();
  await fake.stop();
});

function invoke(path: string, body: unknown, as = client) {
  return invokeFunction(as, `ai/${path}`, 'POST', body);
}

let unique = 0;
const text = (what = 'The renewal call with Dana went well.') => `${what} (${++unique})`;

describe('the ai function with the OpenAI provider (fake server, real SDK)', () => {
  it('answers through OpenAI by default when a key is set, logging tokens and cost', async () => {
    fake.script({
      ...validAnswer({ schemaName: 'analysis' } as never),
      usage: { prompt_tokens: 1_000, completion_tokens: 500 },
    });
    const { status, body } = await invoke('analyze', { text: text() });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      provider: 'openai',
      model: 'gpt-4.1-mini',
      cached: false,
      usage: { tokensIn: 1_000, tokensOut: 500 },
      result: { summary: 'A renewal call.', actionItems: ['Send quote'] },
    });
    // gpt-4.1-mini: $0.40 / 1M input + $1.60 / 1M output.
    expect(body.costUsd).toBeCloseTo(0.0012, 6);
    expect((await logsOf(stack.database.url, userId)).at(-1)).toMatchObject({
      operation: 'analyze',
      provider: 'openai',
      model: 'gpt-4.1-mini',
      tokens_in: 1_000,
      tokens_out: 500,
      cost_usd: '0.001200',
      status: 'success',
      error_code: null,
    });
  });

  it('never pays twice for the same document: the second call is served from the cache', async () => {
    const body = { text: text(), categories: [{ name: 'renewal' }, { name: 'support' }] };
    const first = await invoke('classify', body);
    const second = await invoke('classify', body);
    expect(first.body.cached).toBe(false);
    expect(second.body).toMatchObject({ cached: true, costUsd: 0, usage: { tokensIn: 0, tokensOut: 0 } });
    expect(second.body.result).toEqual(first.body.result);
    expect(fake.requests).toHaveLength(1);
    expect((await logsOf(stack.database.url, userId)).at(-1)).toMatchObject({
      status: 'cached',
      tokens_in: 0,
    });
  });

  it('records whom a cached result was served to, and forgets it when one of them deletes their data', async () => {
    const other = await createUser(stack.database.url);
    const otherClient = stack.client(await stack.userToken(other));
    const body = { text: text('Dana asked us to delete her notes.'), categories: [{ name: 'privacy' }] };
    expect((await invoke('classify', body)).body.cached).toBe(false);
    expect((await invoke('classify', body, otherClient)).body.cached).toBe(true);
    const owners = await query<{ user_id: string }>(
      stack.database.url,
      `select o.user_id from ai_private.ai_result_cache_owners o
       where o.cache_key in (select cache_key from ai_private.ai_result_cache_owners where user_id = $1)
       order by o.user_id`,
      [other],
    );
    expect(owners.map((row) => row.user_id)).toEqual([userId, other].sort());

    const exported = await otherClient.functions.invoke('ai/me/export', { method: 'GET' });
    expect(exported.error).toBeNull();
    expect(exported.data.cachedResults).toHaveLength(1);
    expect(exported.data.cachedResults[0]).toMatchObject({ operation: 'classify', provider: 'openai' });

    const { data, error } = await otherClient.functions.invoke('ai/me/data', { method: 'DELETE' });
    expect(error).toBeNull();
    expect(data.cachedResultsDeleted).toBe(1);
    // The result is gone for everyone it was served to: the next call pays again.
    const again = await invoke('classify', body);
    expect(again.body.cached).toBe(false);
    expect(fake.requests).toHaveLength(2);
  });

  it('keys the cache on the categories too', async () => {
    const same = text();
    await invoke('classify', { text: same, categories: [{ name: 'a' }, { name: 'b' }] });
    await invoke('classify', { text: same, categories: [{ name: 'a' }, { name: 'c' }] });
    expect(fake.requests).toHaveLength(2);
  });

  it('makes one provider call for identical requests arriving together', async () => {
    fake.setDefault((request) => ({ ...validAnswer(request), delayMs: 200 }));
    const same = text();
    const answers = await Promise.all([1, 2, 3].map(() => invoke('sentiment', { text: same })));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(fake.requests).toHaveLength(1);
  });

  it('maps sentence sentiment back onto offsets in the text', async () => {
    const input = `Great call. Pricing is a worry! (${++unique})`;
    const { body } = await invoke('sentiment', { text: input });
    expect(body.result.sentences.length).toBeGreaterThan(1);
    for (const sentence of body.result.sentences)
      expect(input.slice(sentence.start, sentence.end)).toBe(sentence.text);
  });

  it('asks for the four label scores with the rule for mixed, and returns them summing to 1', async () => {
    fake.script({
      content: {
        label: 'negative',
        score: -0.5,
        scores: { positive: 0.2, negative: 1, neutral: 0.4, mixed: 0.4 },
        sentences: [{ index: 0, label: 'negative', score: -0.5 }],
      },
    });
    const { status, body } = await invoke('sentiment', { text: `Order ${++unique} was late again.` });
    expect(status).toBe(200);
    expect(body.result.scores).toEqual({ positive: 0.1, negative: 0.5, neutral: 0.2, mixed: 0.2 });
    const request = fake.requests.at(-1)!;
    const schema = JSON.stringify(request.body?.response_format);
    expect(schema).toContain('"mixed"');
    expect(JSON.stringify(request.body?.messages)).toMatch(/mixed only when both positive and negative/);
  });

  it('asks for speaker and targeted sentiment with its schema, and locates the mentions itself', async () => {
    const transcript = `Dana: Acme was great, but Globex was slow (${++unique}).\nLee: Globex again? Acme it is.`;
    const scores = (positive: number, negative: number) => ({ positive, negative, neutral: 0, mixed: 0 });
    fake.setDefault((request) =>
      request.schemaName === 'targeted_sentiment'
        ? {
            content: {
              speakers: [
                { speaker: 'Lee', label: 'negative', score: -0.4, scores: scores(0.25, 0.75) },
                { speaker: 'Dana', label: 'mixed', score: 0, scores: { ...scores(0.25, 0.25), mixed: 0.5 } },
              ],
              mentions: [
                {
                  segment: 0,
                  text: 'Acme',
                  type: 'organization',
                  label: 'positive',
                  scores: scores(0.9, 0.1),
                },
                { segment: 0, text: 'Globex', type: 'organization', label: 'negative', scores: scores(0, 1) },
                { segment: 1, text: 'Globex', type: 'organization', label: 'neutral', scores: scores(0, 0) },
                { segment: 1, text: 'Acme', type: 'organization', label: 'positive', scores: scores(1, 0) },
                {
                  segment: 1,
                  text: 'Initech',
                  type: 'organization',
                  label: 'negative',
                  scores: scores(0, 1),
                },
              ],
            },
            usage: { prompt_tokens: 300, completion_tokens: 100 },
          }
        : { ...validAnswer(request), usage: { prompt_tokens: 200, completion_tokens: 50 } },
    );
    try {
      const { status, body } = await invoke('sentiment', { text: transcript });
      expect(status).toBe(200);
      expect(fake.requests.map((r) => r.schemaName).sort()).toEqual(['sentiment', 'targeted_sentiment']);
      const asked = fake.requests.find((r) => r.schemaName === 'targeted_sentiment')!;
      const schema = JSON.stringify(asked.body?.response_format);
      expect(schema).toContain('"enum":["Dana","Lee"]');
      expect(schema).toContain('"product"');
      const messages = JSON.stringify(asked.body?.messages);
      expect(messages).toContain('the sentiment expressed towards it at that mention');
      expect(messages).toContain('[1] Lee: Globex again? Acme it is.');
      expect(body.usage).toEqual({ tokensIn: 500, tokensOut: 150 });
      expect(body.result.speakers).toEqual([
        {
          speaker: 'Dana',
          utterances: 1,
          label: 'mixed',
          score: 0,
          scores: { positive: 0.25, negative: 0.25, neutral: 0, mixed: 0.5 },
        },
        {
          speaker: 'Lee',
          utterances: 1,
          label: 'negative',
          score: -0.4,
          scores: { positive: 0.25, negative: 0.75, neutral: 0, mixed: 0 },
        },
      ]);
      const located = body.result.targets.map((t: { text: string; mentions: { start: number }[] }) => [
        t.text,
        t.mentions.map((m) => m.start),
      ]);
      const second = transcript.indexOf('\n') + 1;
      expect(located).toEqual([
        ['Acme', [6, transcript.indexOf('Acme', second)]],
        ['Globex', [transcript.indexOf('Globex'), transcript.indexOf('Globex', second)]],
      ]);
      const globex = body.result.targets[1];
      // Mean of the mentions' scores; the model's all-zero scores become uniform.
      expect(globex.mentions[1].scores).toEqual({
        positive: 0.25,
        negative: 0.25,
        neutral: 0.25,
        mixed: 0.25,
      });
      expect(globex.scores.negative).toBeCloseTo(0.625, 9);
      expect(globex).toMatchObject({ type: 'organization', label: 'negative' });
      expect(globex.mentions[1]).toMatchObject({ segment: 1, speaker: 'Lee', text: 'Globex' });
      expect((await logsOf(stack.database.url, userId)).map((l) => l.operation)).toContain(
        'targeted_sentiment',
      );
    } finally {
      fake.setDefault(validAnswer);
    }
  });

  it('retries a targeted answer that leaves out a speaker, then answers 502', async () => {
    fake.setDefault((request) =>
      request.schemaName === 'targeted_sentiment'
        ? { content: { speakers: [], mentions: [] } }
        : validAnswer(request),
    );
    try {
      const { status } = await invoke('sentiment', {
        segments: [
          { speaker: 'Ann', text: `Fine (${++unique}).` },
          { speaker: 'Bob', text: 'Good.' },
        ],
      });
      expect(status).toBe(502);
      const asked = fake.requests.filter((r) => r.schemaName === 'targeted_sentiment');
      expect(asked).toHaveLength(2);
      expect(JSON.stringify(asked[1]!.body?.messages)).toContain('one entry for each of the 2 speakers');
    } finally {
      fake.setDefault(validAnswer);
    }
  });

  it('asks for products among the entity types and locates a company, a place and a product', async () => {
    const input = `Apple moved the Cupertino team to Jira Cloud (${++unique}).`;
    fake.script({
      content: {
        entities: [
          { text: 'Apple', type: 'organization' },
          { text: 'Cupertino', type: 'place' },
          { text: 'Jira Cloud', type: 'product' },
        ],
      },
    });
    const { status, body } = await invoke('entities', { text: input });
    expect(status).toBe(200);
    expect(body.result.entities).toEqual([
      { text: 'Apple', type: 'organization', start: 0, end: 5 },
      { text: 'Cupertino', type: 'place', start: 16, end: 25 },
      { text: 'Jira Cloud', type: 'product', start: 34, end: 44 },
    ]);
    expect(JSON.stringify(fake.requests.at(-1)!.body?.response_format)).toContain('"product"');
  });

  it('locates entities in the text and drops ones the model made up', async () => {
    const input = text('Dana met Sam. Dana signed.');
    const { body } = await invoke('entities', { text: input });
    expect(body.result.entities.map((e: { text: string; start: number }) => [e.text, e.start])).toEqual([
      ['Dana', 0],
      ['Dana', 14],
    ]);
  });

  it("configures a bot with the model's choices kept inside the Attendee contract", async () => {
    const { status, body } = await invoke('bot-configuration', { meeting: { title: text('Acme QBR') } });
    expect(status).toBe(200);
    expect(body.result.bot_name).toBe('Acme Notes');
    expect(body.result.metadata.configured_by).toBe('openai:gpt-4.1-mini');
  });

  it('retries a schema-breaking answer once, then answers 502, logs the spent tokens and caches nothing', async () => {
    const bad = { content: { summary: 42 }, usage: { prompt_tokens: 100, completion_tokens: 10 } };
    fake.script(bad, bad);
    const input = text();
    const failed = await invoke('analyze', { text: input });
    expect(failed.status).toBe(502);
    expect(failed.body.error).toMatchObject({ code: 'ai_invalid_output', requestId: expect.any(String) });
    expect(fake.requests).toHaveLength(2);
    expect((await logsOf(stack.database.url, userId)).at(-1)).toMatchObject({
      status: 'error',
      error_code: 'invalid_output',
      tokens_in: 200,
      tokens_out: 20,
    });
    const retried = await invoke('analyze', { text: input });
    expect(retried).toMatchObject({ status: 200, body: { cached: false } });
    expect(fake.requests).toHaveLength(3);
  });

  it('retries a 500 and answers with the next good reply', async () => {
    fake.script({ status: 500, body: { error: { message: 'boom' } } });
    const { status } = await invoke('analyze', { text: text() });
    expect(status).toBe(200);
    expect(fake.requests).toHaveLength(2);
  });

  it('waits out a short Retry-After on a 429 and succeeds', async () => {
    fake.script({ status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow down' } } });
    const { status } = await invoke('analyze', { text: text() });
    expect(status).toBe(200);
    expect(fake.requests[1]!.at - fake.requests[0]!.at).toBeGreaterThanOrEqual(1_000);
  });

  it('passes a long Retry-After on to the caller as a 429 with Retry-After', async () => {
    fake.script({ status: 429, headers: { 'retry-after': '90' }, body: { error: { message: 'later' } } });
    const { status, body, headers } = await invoke('analyze', { text: text() });
    expect(status).toBe(429);
    expect(body.error.code).toBe('rate_limited');
    expect(headers?.get('retry-after')).toBe('90');
    expect((await logsOf(stack.database.url, userId)).at(-1)).toMatchObject({
      status: 'error',
      error_code: 'provider_rate_limited',
    });
    // The block holds every caller: the next call is refused without reaching the provider.
    const asked = fake.requests.length;
    const next = await invoke('analyze', { text: text() });
    expect(next.status).toBe(429);
    expect(Number(next.headers?.get('retry-after'))).toBeGreaterThan(80);
    expect(fake.requests).toHaveLength(asked);
    // The rest of this file is another minute: lift the block.
    await query(stack.database.url, 'delete from ai_private.ai_provider_pace');
  });

  it('answers 504 when the provider times out on every attempt', async () => {
    for (let i = 0; i < 3; i++) fake.script({ delayMs: 1_500, content: {} });
    const { status, body } = await invoke('analyze', { text: text() });
    expect(status).toBe(504);
    expect(body.error.code).toBe('ai_timeout');
    expect((await logsOf(stack.database.url, userId)).at(-1)).toMatchObject({ error_code: 'timeout' });
  }, 20_000);

  it('can still be asked for the local provider by name', async () => {
    const { body } = await invoke('sentiment', { text: 'Fine.', provider: 'local' });
    expect(body.provider).toBe('local');
    expect(fake.requests).toHaveLength(0);
  });

  it('never writes the API key into a log row or a response', async () => {
    fake.script({ status: 401, body: { error: { message: `Incorrect API key provided: ${fake.apiKey}` } } });
    const { status, body } = await invoke('analyze', { text: text() });
    expect(status).toBe(502);
    expect(JSON.stringify(body)).not.toContain(fake.apiKey);
    const rows = await query(stack.database.url, 'select * from public.ai_processing_logs');
    expect(JSON.stringify(rows)).not.toContain(fake.apiKey);
    expect(JSON.stringify(rows)).not.toContain('fake-openai-key');
  });
});
