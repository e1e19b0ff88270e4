import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AiBotConfigurationSchema } from '../../shared/ai/bot-configuration.ts';
import { LOCAL_MODEL_NAME } from '../../shared/ai/local/index.ts';
import { logsOf, query } from '../support/ai-logs.ts';
import { createUser } from '../support/db.ts';
import { invokeFunction } from '../support/harness.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let userId: string;
let client: SupabaseClient;

beforeAll(async () => {
  stack = await startTestStack({ AI_PROVIDER: 'local' });
  userId = await createUser(stack.database.url);
  client = stack.client(await stack.userToken(userId));
});
afterAll(() => stack.stop());

function invoke(path: string, body: unknown, as = client) {
  return invokeFunction(as, `ai/${path}`, 'POST', body);
}

const TEXT = 'Thanks Dana, the renewal call went great. The price increase worries me though.';

describe('the ai function with the local provider', () => {
  it('rates sentiment per document and per sentence, at zero tokens and cost', async () => {
    const { status, body } = await invoke('sentiment', { text: TEXT });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      provider: 'local',
      model: LOCAL_MODEL_NAME,
      cached: false,
      usage: { tokensIn: 0, tokensOut: 0 },
      costUsd: 0,
      result: { label: expect.stringMatching(/positive|negative|neutral|mixed/), score: expect.any(Number) },
    });
    for (const sentence of body.result.sentences)
      expect(TEXT.slice(sentence.start, sentence.end)).toBe(sentence.text);
  });

  it('rates each speaker and each entity mention of a `Name: text` transcript', async () => {
    const transcript =
      'Dana: The Paris office is doing great, but Madrid is struggling badly.\n' +
      'Lee: I agree, Madrid missed the target again.';
    const { status, body } = await invoke('sentiment', { text: transcript });
    expect(status).toBe(200);
    expect(body.result.speakers).toEqual([
      expect.objectContaining({ speaker: 'Dana', utterances: 1, label: expect.any(String) }),
      expect.objectContaining({ speaker: 'Lee', utterances: 1, label: 'negative' }),
    ]);
    const madrid = body.result.targets.find((t: { text: string }) => t.text === 'Madrid');
    expect(madrid).toMatchObject({ type: 'place', label: 'negative' });
    expect(madrid.mentions.map((m: { speaker: string }) => m.speaker)).toEqual(['Dana', 'Lee']);
    for (const target of body.result.targets) {
      for (const m of target.mentions) expect(transcript.slice(m.start, m.end)).toBe(m.text);
    }
    const paris = body.result.targets.find((t: { text: string }) => t.text === 'Paris');
    expect(paris.mentions[0]).toMatchObject({ segment: 0, label: 'positive' });
    const plain = await invoke('sentiment', { text: transcript, targets: false });
    expect(plain.body.result).not.toHaveProperty('speakers');
    expect(plain.body.result.label).toBe(body.result.label);
  });

  it('takes a transcript as segments, offsets indexing their texts joined by line breaks', async () => {
    const segments = [
      { speaker: 'Ana', text: 'For us Stripe works perfectly.', start_ms: 0 },
      { speaker: 'Bo', text: 'Salesforce keeps failing, and I hate it.', start_ms: 4200 },
      { speaker: 'Ana', text: 'Agreed.' },
    ];
    const joined = segments.map((s) => s.text).join('\n');
    const { status, body } = await invoke('sentiment', { segments });
    expect(status).toBe(200);
    expect(
      body.result.speakers.map((s: { speaker: string; utterances: number }) => [s.speaker, s.utterances]),
    ).toEqual([
      ['Ana', 2],
      ['Bo', 1],
    ]);
    const labels = Object.fromEntries(
      body.result.targets.map((t: { text: string; label: string }) => [t.text, t.label]),
    );
    expect(labels).toMatchObject({ Stripe: 'positive', Salesforce: 'negative' });
    for (const target of body.result.targets) {
      for (const m of target.mentions) {
        expect(joined.slice(m.start, m.end)).toBe(m.text);
        expect(segments[m.segment]!.text).toContain(m.text);
      }
    }
    for (const sentence of body.result.sentences)
      expect(joined.slice(sentence.start, sentence.end)).toBe(sentence.text);
  });

  it('answers 400, never 500, for a text transcript of more speakers than allowed', async () => {
    const lines = Array.from({ length: 51 }, (_, i) => `Person${String.fromCharCode(65 + (i % 26))}${i}: hi`);
    const response = await invoke('sentiment', { text: lines.join('\n') });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/at most 50 speakers/);
  });

  it('classifies into one of the given categories', async () => {
    const { status, body } = await invoke('classify', {
      text: 'My invoice was charged twice, please refund the payment.',
      categories: [
        { name: 'billing', keywords: ['invoice', 'refund', 'payment'] },
        { name: 'technical', keywords: ['error', 'crash', 'bug'] },
      ],
    });
    expect(status).toBe(200);
    expect(['billing', 'technical']).toContain(body.result.category);
    expect(body.result.confidence).toBeGreaterThanOrEqual(0);
    expect(body.result.confidence).toBeLessThanOrEqual(1);
  });

  it('extracts entities whose offsets point into the text', async () => {
    const text = 'Email dana@acme.test before 12 March 2026 about the $4,000 invoice.';
    const { status, body } = await invoke('entities', { text });
    expect(status).toBe(200);
    for (const entity of body.result.entities) expect(text.slice(entity.start, entity.end)).toBe(entity.text);
  });

  it('analyses a document into summary, key points, action items and risks', async () => {
    const { status, body } = await invoke('analyze', {
      text: `${TEXT} Sam will send the revised quote by Friday.`,
    });
    expect(status).toBe(200);
    expect(body.result).toMatchObject({
      summary: expect.any(String),
      keyPoints: expect.any(Array),
      actionItems: expect.any(Array),
      risks: expect.any(Array),
    });
  });

  it('configures a bot for an inline meeting within the Attendee contract', async () => {
    const { status, body } = await invoke('bot-configuration', {
      meeting: {
        title: '🚀 Launch review',
        attendees: [{ email: 'dana@acme.test', name: 'Dana' }],
        startTime: '2026-12-01T15:00:00Z',
        endTime: '2026-12-01T16:00:00Z',
      },
    });
    expect(status).toBe(200);
    expect(AiBotConfigurationSchema.safeParse(body.result).success).toBe(true);
    expect(body.result.bot_name).toBe('Notetaker · Launch review');
    expect(body.result.join_at).toBe('2026-12-01T14:59:00.000Z');
  });

  it("configures a bot for a meeting the caller owns, and answers 404 for anyone else's", async () => {
    const [meeting] = await query<{ id: string }>(
      stack.database.url,
      `insert into public.meetings (user_id, title, start_time, end_time, attendees)
       values ($1, 'Board sync', now() + interval '1 day', now() + interval '1 day 1 hour', '[{"email": "a@b.test"}]')
       returning id`,
      [userId],
    );
    const id = meeting!.id;
    const mine = await invoke('bot-configuration', { meetingId: id });
    expect(mine.status).toBe(200);
    expect(mine.body.result.metadata.meeting_id).toBe(id);
    const other = stack.client(await stack.userToken(await createUser(stack.database.url)));
    const theirs = await invoke('bot-configuration', { meetingId: id }, other);
    expect(theirs.status).toBe(404);
  });

  it('writes one log row per call with the caller from the token and the request id', async () => {
    const before = (await logsOf(stack.database.url, userId)).length;
    const response = await fetch(`${stack.url}/functions/v1/ai/sentiment`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${await stack.userToken(userId)}`,
        'Content-Type': 'application/json',
        'X-Request-Id': 'req-ai-log-1',
      },
      body: JSON.stringify({ text: 'Fine.' }),
    });
    expect(response.status).toBe(200);
    const logs = await logsOf(stack.database.url, userId);
    expect(logs).toHaveLength(before + 1);
    expect(logs.at(-1)).toMatchObject({
      request_id: 'req-ai-log-1',
      operation: 'sentiment',
      provider: 'local',
      model: LOCAL_MODEL_NAME,
      tokens_in: 0,
      tokens_out: 0,
      cost_usd: '0.000000',
      status: 'success',
    });
  });

  it.each([
    ['an empty text', 'sentiment', { text: '' }],
    ['a missing text', 'analyze', {}],
    ['an unknown field', 'entities', { text: 'x', extra: true }],
    ['both text and segments', 'sentiment', { text: 'x', segments: [{ speaker: 'A', text: 'y' }] }],
    ['segments that are not a list', 'sentiment', { segments: { speaker: 'A', text: 'y' } }],
    ['a segment without a speaker', 'sentiment', { segments: [{ text: 'y' }] }],
    ['a non-boolean targets', 'sentiment', { text: 'x', targets: 'yes' }],
    ['only empty segments', 'sentiment', { segments: [{ speaker: 'A', text: '  ' }] }],
    [
      'too many speakers',
      'sentiment',
      { segments: Array.from({ length: 51 }, (_, i) => ({ speaker: `S${i}`, text: 'ok' })) },
    ],
    [
      'too many segments',
      'sentiment',
      { segments: Array.from({ length: 2_001 }, (_, i) => ({ speaker: `S${i % 2}`, text: 'ok' })) },
    ],
    [
      'segments over the size cap',
      'sentiment',
      {
        segments: [
          { speaker: 'A', text: 'a'.repeat(60_000) },
          { speaker: 'B', text: 'b'.repeat(60_000) },
        ],
      },
    ],
    ['no categories', 'classify', { text: 'x', categories: [] }],
    ['duplicate category names', 'classify', { text: 'x', categories: [{ name: 'a' }, { name: 'a' }] }],
    [
      'both a meeting id and a meeting',
      'bot-configuration',
      { meetingId: randomUUID(), meeting: { title: 'x' } },
    ],
    [
      'an emoji-only attendee email',
      'bot-configuration',
      { meeting: { title: 'x', attendees: [{ email: '😀' }] } },
    ],
  ])('answers 400 with the issues for %s', async (_case, path, body) => {
    const response = await invoke(path, body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'bad_request', message: expect.any(String) });
    expect(response.body.error.issues.length).toBeGreaterThan(0);
  });

  it('answers 400 when a caller asks for a provider that is not configured', async () => {
    const response = await invoke('sentiment', { text: 'Hi.', provider: 'openai' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('provider_unavailable');
  });

  it('refuses the anon key with 401', async () => {
    const response = await invoke('sentiment', { text: 'Hi.' }, stack.client());
    expect(response.status).toBe(401);
  });

  it('lists every AI route in the OpenAPI document', async () => {
    const response = await fetch(`${stack.url}/functions/v1/ai/openapi.json`, {
      headers: { Authorization: `Bearer ${stack.anonKey}` },
    });
    const doc = await response.json();
    for (const path of ['classify', 'sentiment', 'entities', 'analyze', 'bot-configuration']) {
      expect(doc.paths[`/ai/${path}`].post.responses).toHaveProperty('200');
    }
    expect(doc.components.schemas).toHaveProperty('BotConfiguration');
  });
});
