import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AiInvalidOutputError,
  AiProviderError,
  AiRateLimitedError,
  AiTimeoutError,
} from '../../shared/ai/errors.ts';
import { DEFAULT_RETRY_POLICY } from '../../shared/ai/openai/retry.ts';
import { completeStructured, type StructuredSettings } from '../../shared/ai/openai/structured.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';

const Answer = z.object({ label: z.enum(['positive', 'negative']), score: z.number().min(-1).max(1) });
const call = { name: 'sentiment', schema: Answer, system: 'Rate the sentiment.', user: 'Great work!' };

let fake: FakeOpenAi;
let client: OpenAI;
const settings = (overrides: Partial<StructuredSettings> = {}): StructuredSettings => ({
  model: 'gpt-4.1-mini',
  maxTokens: 300,
  compatibleServer: false,
  // Short backoffs keep the suite fast; Retry-After is honoured as sent whatever the policy says.
  retry: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 20, maxDelayMs: 100 },
  secrets: [fake.apiKey],
  ...overrides,
});

beforeAll(async () => {
  fake = await startFakeOpenAi(() => ({ content: { label: 'positive', score: 0.8 } }));
  client = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseUrl, maxRetries: 0, timeout: 500 });
});
beforeEach(() => fake.reset());
afterAll(() => fake.stop());

describe('structured OpenAI calls through the real SDK', () => {
  it('returns the parsed answer with its token usage, asking for a strict JSON schema', async () => {
    fake.script({
      content: { label: 'positive', score: 0.9 },
      usage: { prompt_tokens: 50, completion_tokens: 7 },
    });
    const result = await completeStructured(client, settings(), call);
    expect(result.data).toEqual({ label: 'positive', score: 0.9 });
    expect(result.usage).toMatchObject({ tokensIn: 50, tokensOut: 7 });
    const request = fake.requests[0]!;
    expect(request.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(request.schemaName).toBe('sentiment');
    expect(request.body).toMatchObject({
      model: 'gpt-4.1-mini',
      max_completion_tokens: 300,
      response_format: { type: 'json_schema', json_schema: { strict: true } },
    });
  });

  it('sends max_tokens instead to an OpenAI-compatible server', async () => {
    await completeStructured(client, settings({ compatibleServer: true }), call);
    expect(fake.requests[0]!.body).toMatchObject({ max_tokens: 300 });
    expect(fake.requests[0]!.body).not.toHaveProperty('max_completion_tokens');
  });

  it('waits as long as a 429 Retry-After says before trying again', async () => {
    fake.script({ status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow down' } } });
    const result = await completeStructured(client, settings(), call);
    expect(result.data.label).toBe('positive');
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.at - fake.requests[0]!.at).toBeGreaterThanOrEqual(1_000);
  });

  it("honours retry-after-ms, OpenAI's finer header, over the backoff", async () => {
    fake.script({ status: 429, headers: { 'retry-after-ms': '400' }, body: { error: {} } });
    await completeStructured(client, settings(), call);
    expect(fake.requests[1]!.at - fake.requests[0]!.at).toBeGreaterThanOrEqual(400);
  });

  it('fails as rate limited at once when Retry-After is longer than it may wait', async () => {
    fake.script({ status: 429, headers: { 'retry-after': '120' }, body: { error: { message: 'later' } } });
    const error = await completeStructured(client, settings(), call).catch((e) => e);
    expect(error).toBeInstanceOf(AiRateLimitedError);
    expect(error.retryAfterMs).toBe(120_000);
    expect(error.headers['Retry-After']).toBe('120');
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry a 429 for an exhausted quota', async () => {
    fake.script({ status: 429, body: { error: { message: 'quota', code: 'insufficient_quota' } } });
    const error = await completeStructured(client, settings(), call).catch((e) => e);
    expect(error).toBeInstanceOf(AiProviderError);
    expect(error.reason).toBe('insufficient_quota');
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a 500 with backoff and returns the next good answer', async () => {
    fake.script({ status: 500, body: { error: { message: 'boom' } } }, { status: 503, body: { error: {} } });
    const result = await completeStructured(client, settings(), call);
    expect(result.data.label).toBe('positive');
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up after the configured retries as a provider error naming the status', async () => {
    for (let i = 0; i < 4; i++) fake.script({ status: 502, body: { error: { message: 'bad gateway' } } });
    const error = await completeStructured(client, settings(), call).catch((e) => e);
    expect(error).toBeInstanceOf(AiProviderError);
    expect(error.reason).toBe('provider_http_502');
    expect(fake.requests).toHaveLength(4);
  });

  it('does not retry a 400 and never puts the API key in the error', async () => {
    fake.script({ status: 400, body: { error: { message: `bad request for key ${fake.apiKey}` } } });
    const error = await completeStructured(client, settings(), call).catch((e) => e);
    expect(error).toBeInstanceOf(AiProviderError);
    expect(error.reason).toBe('provider_http_400');
    expect(JSON.stringify({ message: error.message, detail: error.detail })).not.toContain(fake.apiKey);
    expect(fake.requests).toHaveLength(1);
  });

  it('times out a silent server on every attempt and reports a timeout', async () => {
    for (let i = 0; i < 2; i++) fake.script({ delayMs: 1_500, content: { label: 'positive', score: 1 } });
    const error = await completeStructured(
      client,
      settings({ retry: { ...settings().retry, maxRetries: 1 } }),
      call,
    ).catch((e) => e);
    expect(error).toBeInstanceOf(AiTimeoutError);
    expect(error.status).toBe(504);
    expect(fake.requests).toHaveLength(2);
  });

  it('recovers when a timed-out attempt is followed by a prompt one', async () => {
    fake.script({ delayMs: 1_500, content: {} });
    const result = await completeStructured(client, settings(), call);
    expect(result.data.label).toBe('positive');
  });

  it('asks once more when the answer is not JSON, naming the problem', async () => {
    fake.script({
      content: '{"label": "positive", "score": ',
      usage: { prompt_tokens: 40, completion_tokens: 5 },
    });
    const result = await completeStructured(client, settings(), call);
    expect(result.data.label).toBe('positive');
    expect(fake.requests).toHaveLength(2);
    const retry = fake.requests[1]!.body.messages as { role: string; content: string }[];
    expect(retry.at(-1)!.content).toMatch(/not JSON/);
    // Both answers were paid for.
    expect(result.usage.tokensIn).toBe(40 + 120);
  });

  it('asks once more when the response body itself is malformed JSON', async () => {
    fake.script({ rawBody: '{"id": "chatcmpl-1", "choices": [' });
    const result = await completeStructured(client, settings(), call);
    expect(result.data.label).toBe('positive');
    expect(fake.requests).toHaveLength(2);
  });

  it('retries a schema-breaking answer once, then fails with the tokens of both attempts', async () => {
    const bad = {
      content: { label: 'ecstatic', score: 7 },
      usage: { prompt_tokens: 30, completion_tokens: 6 },
    };
    fake.script(bad, bad);
    const error = await completeStructured(client, settings(), call).catch((e) => e);
    expect(error).toBeInstanceOf(AiInvalidOutputError);
    expect(error.code).toBe('ai_invalid_output');
    expect(error.detail).toMatch(/breaks the schema/);
    expect(error.usage).toMatchObject({ tokensIn: 60, tokensOut: 12 });
    expect(fake.requests).toHaveLength(2);
  });

  it('treats a refusal and a cut-off answer as invalid answers', async () => {
    fake.script(
      { refusal: 'I cannot help', content: null },
      { finishReason: 'length', content: '{"label":' },
    );
    const error = await completeStructured(client, settings(), call).catch((e) => e);
    expect(error).toBeInstanceOf(AiInvalidOutputError);
    expect(error.detail).toMatch(/cut off/);
  });
});
