import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  type ClassificationStack,
  classification,
  classifyingResponder,
  fakeOpenAiEnv,
  startClassificationStack,
} from '../support/classification-harness.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';
import { asOwner, createDocument, newUser, type TestUser } from '../support/harness.ts';

let fake: FakeOpenAi;
let env: ClassificationStack;
let user: TestUser;

const llmSays = classifyingResponder(() => ({ category: 'sales', confidence: 0.93 }));

beforeAll(async () => {
  fake = await startFakeOpenAi(llmSays);
  env = await startClassificationStack(fakeOpenAiEnv(fake));
  user = await newUser(env.stack);
});
afterAll(async () => {
  await env.stop();
  await fake.stop();
});
beforeEach(() => fake.reset());

const stages = [
  { type: 'rules', threshold: 0.8 },
  { type: 'llm' },
  { type: 'sentiment' },
  { type: 'entities' },
];

async function classifyLogs(userId: string) {
  return asOwner(env.stack.database.url, async (db) => {
    const { rows } = await db.query<{ provider: string; cost_usd: string; tokens_in: number }>(
      `select provider, cost_usd, tokens_in from ai_processing_logs
        where user_id = $1 and operation = 'classify' order by id`,
      [userId],
    );
    return rows;
  });
}

describe('POST /classification/enhanced', () => {
  it('stops at a confident rules stage: the LLM is never called and nothing is paid', async () => {
    const someone = await newUser(env.stack);
    const text = 'Please refund the invoice. The invoice payment was taken twice, so refund the payment.';
    const { status, body } = await classification(env.stack, someone, 'POST', '/enhanced', {
      text,
      categories: CATEGORIES,
      stages,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'completed', category: 'billing', costUsd: 0 });
    expect(body.confidence).toBeGreaterThanOrEqual(0.8);
    expect(body.trace.map((step: { type: string; status: string }) => `${step.type}:${step.status}`)).toEqual(
      ['rules:accepted', 'llm:skipped', 'sentiment:completed', 'entities:completed'],
    );
    expect(body.sentiment).toMatchObject({ label: expect.any(String), score: expect.any(Number) });
    expect(fake.requests).toHaveLength(0);
    expect(await classifyLogs(someone.id)).toEqual([]);
  });

  it('carries entities with types and offsets and the four sentiment scores in the result', async () => {
    const someone = await newUser(env.stack);
    const text =
      'Apple shares fell 5% after the quarterly earnings call in Cupertino on Tuesday, CEO Tim Cook said demand in China was weak.';
    const { status, body } = await classification(env.stack, someone, 'POST', '/enhanced', {
      text,
      categories: CATEGORIES,
      stages: [{ type: 'rules', threshold: 0 }, { type: 'sentiment' }, { type: 'entities' }],
    });
    expect(status).toBe(200);
    const entities = body.entities as { text: string; type: string; start: number; end: number }[];
    expect(entities).toEqual(
      expect.arrayContaining([
        { text: 'Apple', type: 'organization', start: 0, end: 5 },
        expect.objectContaining({ text: 'Cupertino', type: 'place' }),
        expect.objectContaining({ text: 'Tim Cook', type: 'person' }),
        expect.objectContaining({ text: 'China', type: 'place' }),
      ]),
    );
    for (const e of entities) expect(text.slice(e.start, e.end)).toBe(e.text);
    expect(body.sentiment.label).toBe('negative');
    expect(Object.keys(body.sentiment.scores).sort()).toEqual(['mixed', 'negative', 'neutral', 'positive']);
  });

  it('adds speakers and targets to the sentiment of a transcript, given as segments or as `Name:` lines, and stores them', async () => {
    const someone = await newUser(env.stack);
    const segments = [
      { speaker: 'Dana', text: 'The Paris office is doing great, but Madrid is struggling badly.' },
      { speaker: 'Lee', text: 'I agree, Madrid missed the target again.', start_ms: 5000 },
    ];
    const local = [{ type: 'rules', threshold: 0 }, { type: 'sentiment' }, { type: 'entities' }];
    const asSegments = await classification(env.stack, someone, 'POST', '/enhanced', {
      segments,
      categories: CATEGORIES,
      stages: local,
    });
    const asLines = await classification(env.stack, someone, 'POST', '/enhanced', {
      text: segments.map((s) => `${s.speaker}: ${s.text}`).join('\n'),
      categories: CATEGORIES,
      stages: local,
    });
    for (const { status, body } of [asSegments, asLines]) {
      expect(status).toBe(200);
      expect(body.sentiment.speakers.map((s: { speaker: string }) => s.speaker)).toEqual(['Dana', 'Lee']);
      const madrid = body.sentiment.targets.find((t: { text: string }) => t.text === 'Madrid');
      expect(madrid).toMatchObject({ type: 'place', label: 'negative' });
      expect(madrid.mentions).toHaveLength(2);
    }
    const joined = segments.map((s) => s.text).join('\n');
    for (const target of asSegments.body.sentiment.targets) {
      for (const m of target.mentions) expect(joined.slice(m.start, m.end)).toBe(m.text);
    }
    const stored = await asOwner(env.stack.database.url, async (db) => {
      const { rows } = await db.query<{ sentiment: { speakers: unknown[]; targets: unknown[] } }>(
        'select sentiment from classification_results where id = $1',
        [asSegments.body.id],
      );
      return rows[0]!.sentiment;
    });
    expect(stored.speakers).toEqual(asSegments.body.sentiment.speakers);
    expect(stored.targets).toEqual(asSegments.body.sentiment.targets);
    const plain = await classification(env.stack, someone, 'POST', '/enhanced', {
      text: 'The Paris office is doing great.',
      categories: CATEGORIES,
      stages: local,
    });
    expect(plain.body.sentiment).not.toHaveProperty('speakers');
  });

  it('answers 400 for bad segments or a transcript of too many speakers, and stores nothing', async () => {
    const someone = await newUser(env.stack);
    for (const segments of [
      [{ text: 'no speaker' }],
      'Dana: hi',
      Array.from({ length: 51 }, (_, i) => ({ speaker: `S${i}`, text: 'ok' })),
    ]) {
      const { status, body } = await classification(env.stack, someone, 'POST', '/enhanced', {
        segments,
        categories: CATEGORIES,
      });
      expect(status).toBe(400);
      expect(body.error.code).toBe('bad_request');
    }
    const lines = Array.from({ length: 51 }, (_, i) => `Person${i}: hi`).join('\n');
    const tooMany = await classification(env.stack, someone, 'POST', '/enhanced', {
      text: lines,
      categories: CATEGORIES,
      stages: [{ type: 'rules', threshold: 0 }, { type: 'sentiment' }],
    });
    expect(tooMany.status).toBe(400);
    const count = await asOwner(env.stack.database.url, async (db) => {
      const { rows } = await db.query<{ n: number }>(
        'select count(*)::int as n from classification_results where user_id = $1',
        [someone.id],
      );
      return rows[0]!.n;
    });
    expect(count).toBe(0);
  });

  it('hands an unsure rules stage over to the LLM, and the trace and the log agree on what was paid', async () => {
    const someone = await newUser(env.stack);
    const text = 'We would like to talk about next year. Also one invoice question.';
    const { status, body } = await classification(env.stack, someone, 'POST', '/enhanced', {
      text,
      categories: CATEGORIES,
      stages,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ category: 'sales', confidence: 0.93 });
    const [rules, llm] = body.trace;
    expect(rules).toMatchObject({
      type: 'rules',
      status: 'handed_over',
      category: 'billing',
      threshold: 0.8,
    });
    expect(rules.confidence).toBeLessThan(0.8);
    expect(llm).toMatchObject({
      type: 'llm',
      status: 'accepted',
      provider: 'openai',
      model: 'gpt-4.1-mini',
      tokensIn: 120,
      tokensOut: 30,
    });
    expect(llm.costUsd).toBeGreaterThan(0);
    expect(llm.latencyMs).toEqual(expect.any(Number));
    expect(body.costUsd).toBe(llm.costUsd);
    expect(fake.requests).toHaveLength(1);
    const logs = await classifyLogs(someone.id);
    expect(logs).toEqual([{ provider: 'openai', cost_usd: String(llm.costUsd.toFixed(6)), tokens_in: 120 }]);
  });

  it('lets a confident local model stop the cascade before the LLM', async () => {
    const { body } = await classification(env.stack, user, 'POST', '/enhanced', {
      text: 'Something entirely unrelated to any keyword.',
      categories: CATEGORIES,
      stages: [{ type: 'rules', threshold: 0.8 }, { type: 'local', threshold: 0 }, { type: 'llm' }],
    });
    expect(body.trace.map((step: { status: string }) => step.status)).toEqual([
      'handed_over',
      'accepted',
      'skipped',
    ]);
    expect(body.trace[1]).toMatchObject({ provider: 'local', costUsd: 0 });
    expect(fake.requests).toHaveLength(0);
  });

  it('classifies a stored document by id with a stored workflow, and keeps the result', async () => {
    const documentId = await createDocument(
      env.stack.database.url,
      user.id,
      'The app shows an error, then a crash: a bug.',
    );
    const workflow = await classification(env.stack, user, 'POST', '/workflows', {
      name: 'Doc flow',
      categories: CATEGORIES,
      stages,
    });
    const { status, body } = await classification(env.stack, user, 'POST', '/enhanced', {
      documentId,
      workflowId: workflow.body.id,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ documentId, category: 'support', batchId: null });
    const stored = await asOwner(env.stack.database.url, (db) =>
      db.query('select user_id, category, trace from classification_results where id = $1', [body.id]),
    );
    expect(stored.rows[0]).toMatchObject({ user_id: user.id, category: 'support' });
    expect(stored.rows[0].trace).toHaveLength(4);
  });

  it("answers 404 for another user's document or workflow, and 409 for a deactivated workflow", async () => {
    const other = await newUser(env.stack);
    const theirs = await createDocument(env.stack.database.url, other.id, 'invoice');
    const doc = await classification(env.stack, user, 'POST', '/enhanced', {
      documentId: theirs,
      categories: CATEGORIES,
    });
    expect(doc.status).toBe(404);
    const flow = await classification(env.stack, other, 'POST', '/workflows', {
      name: 'Theirs',
      categories: CATEGORIES,
    });
    const wf = await classification(env.stack, user, 'POST', '/enhanced', {
      text: 'hi',
      workflowId: flow.body.id,
    });
    expect(wf.status).toBe(404);
    await classification(env.stack, other, 'DELETE', `/workflows/${flow.body.id}`);
    const retired = await classification(env.stack, other, 'POST', '/enhanced', {
      text: 'hi',
      workflowId: flow.body.id,
    });
    expect(retired.status).toBe(409);
  });

  it('answers 400 naming the problem for empty text or a missing category list', async () => {
    const empty = await classification(env.stack, user, 'POST', '/enhanced', {
      text: '   ',
      categories: CATEGORIES,
    });
    expect(empty).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/text: the text is empty/) } },
    });
    const none = await classification(env.stack, user, 'POST', '/enhanced', { text: 'hello' });
    expect(none.body.error.message).toMatch(/workflowId: give either workflowId or categories/);
    const emptyDoc = await createDocument(env.stack.database.url, user.id, ' ');
    const blank = await classification(env.stack, user, 'POST', '/enhanced', {
      documentId: emptyDoc,
      categories: CATEGORIES,
    });
    expect(blank).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/document is empty/) } },
    });
  });

  it('stores a failed result and answers 502 when the LLM fails', async () => {
    fake.setDefault(() => ({ status: 400, body: { error: { message: 'model overloaded badly' } } }));
    const someone = await newUser(env.stack);
    const { status, body } = await classification(env.stack, someone, 'POST', '/enhanced', {
      text: 'Nothing the rules know.',
      categories: CATEGORIES,
      stages,
    });
    expect(status).toBe(502);
    expect(body.error.code).toBe('ai_provider_error');
    const stored = await asOwner(env.stack.database.url, (db) =>
      db.query('select status, error, trace from classification_results where user_id = $1', [someone.id]),
    );
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^stage 1 failed/),
    });
    fake.setDefault(llmSays);
  });
});
