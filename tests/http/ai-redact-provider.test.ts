// The per-user setting redact_pii_before_provider: with it on, the fake OpenAI server records what it was sent and
// no PII value is in it; the caller's results still carry offsets and texts of the text they sent.
import { FunctionsHttpError, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { query } from '../support/ai-logs.ts';
import { createUser } from '../support/db.ts';
import {
  type FakeOpenAi,
  type FakeReply,
  type RecordedOpenAiRequest,
  startFakeOpenAi,
} from '../support/fake-openai.ts';
import { validAnswer } from '../support/openai-answers.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let fake: FakeOpenAi;
let stack: TestStack;
let careful: SupabaseClient;
let plain: SupabaseClient;

beforeAll(async () => {
  fake = await startFakeOpenAi(validAnswer);
  stack = await startTestStack({
    OPENAI_API_KEY: fake.apiKey,
    OPENAI_BASE_URL: fake.baseUrl,
    AI_CACHE_TTL_SECONDS: '0',
    LOG_LEVEL: 'info',
  });
  const carefulId = await createUser(stack.database.url);
  const plainId = await createUser(stack.database.url);
  await query(
    stack.database.url,
    `insert into public.user_ai_settings (user_id, redact_pii_before_provider) values ($1, true), ($2, false)`,
    [carefulId, plainId],
  );
  careful = stack.client(await stack.userToken(carefulId));
  plain = stack.client(await stack.userToken(plainId));
});
beforeEach(() => fake.reset());
afterAll(async () => {
  await stack.stop();
  await fake.stop();
});

async function invoke(path: string, body: unknown, as: SupabaseClient) {
  const { data, error } = await as.functions.invoke(`ai/${path}`, { method: 'POST', body: body as object });
  if (error instanceof FunctionsHttpError) {
    return { status: error.context.status as number, body: await error.context.json() };
  }
  if (error) throw error;
  return { status: 200, body: data };
}

const VALUES = [
  'Dana Reyes',
  'dana.reyes@acme.com',
  '+44 20 7946 0958',
  '4111 1111 1111 1111',
  'DE89 3704 0044 0532 0130 00',
  '123-45-6789',
  '10.2.3.4',
];
const TEXT =
  'Dana Reyes: great call! Mail dana.reyes@acme.com or ring +44 20 7946 0958. ' +
  'Card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, SSN 123-45-6789, from 10.2.3.4.';
const sent = () => JSON.stringify(fake.requests.map((r) => r.body));

describe('redact_pii_before_provider', () => {
  it('keeps every PII value away from OpenAI for sentiment, with the sentences of the caller text', async () => {
    const { status, body } = await invoke('sentiment', { text: TEXT }, careful);
    expect(status).toBe(200);
    expect(fake.requests).toHaveLength(1);
    for (const value of VALUES) expect(sent()).not.toContain(value);
    expect(sent()).toContain('great call');
    for (const s of body.result.sentences) expect(TEXT.slice(s.start, s.end)).toBe(s.text);
    expect(body.result.sentences.map((s: { text: string }) => s.text).join(' ')).toContain(
      'dana.reyes@acme.com',
    );
  });

  it('masks the text and the category examples of a classification', async () => {
    const categories = [
      { name: 'billing', description: 'invoices', examples: ['Refund card 5555 5555 5555 4444 please'] },
      { name: 'sales', examples: ['Call Tom Becker on 020 7946 0123'] },
    ];
    const { status } = await invoke('classify', { text: TEXT, categories }, careful);
    expect(status).toBe(200);
    for (const value of [...VALUES, '5555 5555 5555 4444', 'Tom Becker', '020 7946 0123']) {
      expect(sent()).not.toContain(value);
    }
    expect(sent()).toContain('invoices');
  });

  it('masks entities and analysis input too, and logs the counts by type without values', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      lines.push(String(line));
    });
    try {
      expect((await invoke('entities', { text: TEXT }, careful)).status).toBe(200);
      expect((await invoke('analyze', { text: TEXT }, careful)).status).toBe(200);
    } finally {
      spy.mockRestore();
    }
    expect(fake.requests).toHaveLength(2);
    for (const value of VALUES) expect(sent()).not.toContain(value);
    const logged = lines.filter((l) => l.includes('pii masked before provider')).map((l) => JSON.parse(l));
    expect(logged.map((l) => l.operation)).toEqual(['entities', 'analyze']);
    expect(logged[0]).toMatchObject({
      provider: 'openai',
      counts: { email: 1, phone: 1, card: 1, iban: 1, national_id: 1, ip_address: 1, person: 1 },
    });
    for (const value of VALUES) expect(lines.join('\n')).not.toContain(value);
  });

  it('sends speakers as "Speaker N" and masks their names and the PII in what they said', async () => {
    const segments = [
      { speaker: 'Dana Reyes', text: 'Acme was great, Tom. Mail me at dana.reyes@acme.com.' },
      { speaker: 'Tom Becker', text: 'Thanks Dana! Acme it is, call +44 20 7946 0958.' },
    ];
    const answer = (request: RecordedOpenAiRequest): FakeReply => {
      if (request.schemaName !== 'targeted_sentiment') return validAnswer(request);
      const scores = { positive: 1, negative: 0, neutral: 0, mixed: 0 };
      const rated = { label: 'positive', score: 0.8, scores };
      return {
        content: {
          speakers: [
            { speaker: 'Speaker 1', ...rated },
            { speaker: 'Speaker 2', ...rated },
          ],
          mentions: [
            { segment: 0, text: 'Acme', type: 'organization', ...rated },
            { segment: 1, text: '****', type: 'person', ...rated },
            { segment: 1, text: 'Acme', type: 'organization', ...rated },
          ],
        },
      };
    };
    try {
      for (const body of [
        { segments },
        { text: segments.map((s) => `${s.speaker}: ${s.text}`).join('\n') },
      ]) {
        fake.reset();
        fake.setDefault(answer);
        const { status, body: reply } = await invoke('sentiment', body, careful);
        expect(status).toBe(200);
        expect(fake.requests.map((r) => r.schemaName).sort()).toEqual(['sentiment', 'targeted_sentiment']);
        for (const value of ['Dana', 'Reyes', 'Tom', 'Becker', 'dana.reyes@acme.com', '+44 20 7946 0958']) {
          expect(sent()).not.toContain(value);
        }
        expect(sent()).toContain('Speaker 2');
        expect(reply.result.speakers.map((s: { speaker: string }) => s.speaker)).toEqual([
          'Dana Reyes',
          'Tom Becker',
        ]);
        expect(reply.result.targets).toHaveLength(1);
        const [acme] = reply.result.targets;
        expect(acme.mentions.map((m: { speaker: string }) => m.speaker)).toEqual([
          'Dana Reyes',
          'Tom Becker',
        ]);
        const document = body.text ?? segments.map((s) => s.text).join('\n');
        for (const m of acme.mentions) expect(document.slice(m.start, m.end)).toBe('Acme');
      }
    } finally {
      fake.setDefault(validAnswer);
    }
  });

  it('sends the text as it is for a user without the setting, and never masks for the local provider', async () => {
    expect((await invoke('sentiment', { text: TEXT }, plain)).status).toBe(200);
    for (const value of VALUES) expect(sent()).toContain(value);
    fake.reset();
    const local = await invoke('entities', { text: TEXT, provider: 'local' }, careful);
    expect(fake.requests).toHaveLength(0);
    expect(local.body.result.entities.map((e: { text: string }) => e.text)).toContain('dana.reyes@acme.com');
  });
});
