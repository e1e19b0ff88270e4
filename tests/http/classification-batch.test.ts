import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  allResults,
  CATEGORIES,
  type ClassificationStack,
  classification,
  classifyingResponder,
  fakeOpenAiEnv,
  startClassificationStack,
  waitForBatch,
} from '../support/classification-harness.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';
import { asOwner, createDocument, newUser, type TestUser } from '../support/harness.ts';

let fake: FakeOpenAi;
let env: ClassificationStack;
let owner: TestUser;
let workflowId: string;

// The LLM says `sales`, except for poisoned texts, which it refuses (a 400 is not retried).
const llm = classifyingResponder((text) =>
  text.includes('POISON')
    ? { status: 400, body: { error: { message: 'this text cannot be classified' } } }
    : { category: 'sales', confidence: 0.9 },
);

beforeAll(async () => {
  fake = await startFakeOpenAi(llm);
  env = await startClassificationStack(fakeOpenAiEnv(fake));
  owner = await newUser(env.stack);
  const created = await classification(env.stack, owner, 'POST', '/workflows', {
    name: 'Batch flow',
    categories: CATEGORIES,
    stages: [{ type: 'rules', threshold: 0.8 }, { type: 'llm' }, { type: 'sentiment' }],
  });
  workflowId = created.body.id;
});
afterAll(async () => {
  await env.stop();
  await fake.stop();
});
beforeEach(() => fake.reset());

/** Every other document is plainly billing (the rules decide); the rest only the LLM can place. */
const documents = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({
    key: `${tag}-${i}`,
    text: i % 2 ? `Refund invoice ${i}: the invoice payment failed, refund it.` : `${tag} note number ${i}.`,
  }));

describe('batch classification through the queue', () => {
  it('answers 202 at once, then classifies every item: counts add up and nothing is lost', async () => {
    const submitted = await classification(env.stack, owner, 'POST', '/batch', {
      documents: documents(60, 'plain'),
      workflowId,
    });
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({
      workflowId,
      counts: { total: 60, done: 0, failed: 0, pending: 60 },
    });

    const finished = await waitForBatch(env.stack, owner, submitted.body.id);
    expect(finished).toMatchObject({
      status: 'completed',
      counts: { total: 60, done: 60, failed: 0, pending: 0 },
    });
    expect(finished.summary).toMatchObject({ categories: { billing: 30, sales: 30 }, unclassified: 0 });
    expect(finished.summary.meanConfidence).toBeGreaterThan(0.8);

    const results = await allResults(env.stack, owner, submitted.body.id, 25);
    expect(results.map((r: { itemIndex: number }) => r.itemIndex)).toEqual([...Array(60).keys()]);
    expect(
      results.every(
        (r: { status: string; attempts: number }) => r.status === 'completed' && r.attempts === 1,
      ),
    ).toBe(true);
    expect(results[3]).toMatchObject({ itemKey: 'plain-3', category: 'billing' });
    expect(results[4]).toMatchObject({ itemKey: 'plain-4', category: 'sales' });
    // Only the documents the rules could not place reached the LLM, once each.
    expect(fake.requests).toHaveLength(30);
    const llmCost = results.reduce((sum: number, r: { costUsd: number }) => sum + r.costUsd, 0);
    expect(finished.summary.totalCostUsd).toBeCloseTo(llmCost, 6);
    const stored = await asOwner(env.stack.database.url, (db) =>
      db.query<{ texts: string; logged: string; calls: string }>(
        `select (select count(input_text) from classification_results where batch_id = $1) as texts,
                (select sum(cost_usd) from ai_processing_logs where user_id = $2 and operation = 'classify') as logged,
                (select count(*) from ai_processing_logs
                  where request_id like 'batch:' || $1 || ':%' and provider = 'openai') as calls`,
        [submitted.body.id, owner.id],
      ),
    );
    // Texts are not kept once classified; what the log says was paid is what the summary says.
    expect(stored.rows[0]).toMatchObject({ texts: '0', calls: '30' });
    expect(Number(stored.rows[0]!.logged)).toBeCloseTo(finished.summary.totalCostUsd, 6);
  });

  it('records failed items, and a retry classifies exactly those', async () => {
    const docs = documents(20, 'retry').map((doc, i) =>
      i % 7 === 0 ? { ...doc, text: `POISON ${i}` } : doc,
    );
    const submitted = await classification(env.stack, owner, 'POST', '/batch', {
      documents: docs,
      workflowId,
    });
    const id = submitted.body.id;
    const finished = await waitForBatch(env.stack, owner, id);
    expect(finished).toMatchObject({
      status: 'completed_with_errors',
      counts: { total: 20, done: 17, failed: 3 },
    });
    const failed = await classification(env.stack, owner, 'GET', `/batches/${id}?status=failed`);
    expect(failed.body.results.items.map((r: { itemIndex: number }) => r.itemIndex)).toEqual([0, 7, 14]);
    expect(failed.body.results.items[0].error).toMatch(/^stage 1 failed: The AI provider failed/);

    fake.setDefault(classifyingResponder(() => ({ category: 'support', confidence: 0.8 })));
    const before = fake.requests.length;
    const retried = await classification(env.stack, owner, 'POST', `/batches/${id}/retry`);
    expect(retried).toMatchObject({ status: 202, body: { retried: 3, status: 'queued' } });
    const again = await waitForBatch(env.stack, owner, id);
    expect(again).toMatchObject({
      status: 'completed',
      counts: { total: 20, done: 20, failed: 0, pending: 0 },
    });
    expect(fake.requests.length - before).toBe(3);
    const results = await allResults(env.stack, owner, id, 100);
    expect(
      results
        .filter((r: { attempts: number }) => r.attempts === 2)
        .map((r: { itemIndex: number }) => r.itemIndex),
    ).toEqual([0, 7, 14]);
    expect(results[7]).toMatchObject({ status: 'completed', category: 'support', error: null });

    const nothing = await classification(env.stack, owner, 'POST', `/batches/${id}/retry`);
    expect(nothing).toMatchObject({
      status: 409,
      body: { error: { message: expect.stringMatching(/no failed items/) } },
    });
    fake.setDefault(llm);
  });

  it('classifies documents stored by id, and names the items whose document is not the caller’s', async () => {
    const mine = await createDocument(env.stack.database.url, owner.id, 'Invoice, invoice, refund!');
    const other = await newUser(env.stack);
    const theirs = await createDocument(env.stack.database.url, other.id, 'secret');
    const refused = await classification(env.stack, owner, 'POST', '/batch', {
      documents: [{ documentId: mine }, { documentId: theirs }],
      categories: CATEGORIES,
    });
    expect(refused).toMatchObject({
      status: 400,
      body: { error: { message: 'documents 1: no such document of yours' } },
    });
    const accepted = await classification(env.stack, owner, 'POST', '/batch', {
      documents: [{ documentId: mine }],
      categories: CATEGORIES,
    });
    const done = await waitForBatch(env.stack, owner, accepted.body.id);
    expect(done).toMatchObject({ status: 'completed', summary: { categories: { billing: 1 } } });
  });

  it('lets no other user see or retry a batch', async () => {
    const docs = [{ text: 'POISON' }, { text: 'invoice invoice refund payment' }];
    const submitted = await classification(env.stack, owner, 'POST', '/batch', {
      documents: docs,
      workflowId,
    });
    await waitForBatch(env.stack, owner, submitted.body.id);
    const stranger = await newUser(env.stack);
    const seen = await classification(env.stack, stranger, 'GET', `/batches/${submitted.body.id}`);
    expect(seen.status).toBe(404);
    const retried = await classification(env.stack, stranger, 'POST', `/batches/${submitted.body.id}/retry`);
    expect(retried.status).toBe(404);
    const still = await classification(env.stack, owner, 'GET', `/batches/${submitted.body.id}`);
    expect(still.body).toMatchObject({ status: 'completed_with_errors', counts: { failed: 1 } });
  });

  it.each([
    [
      'too many documents',
      { documents: Array(5001).fill({ text: 'x' }) },
      /documents: a batch has at most 5000 documents/,
    ],
    ['no documents', { documents: [] }, /documents: a batch needs at least one document/],
    [
      'an empty text',
      { documents: [{ text: 'fine' }, { text: ' ' }] },
      /documents\.1\.text: the text is empty/,
    ],
    ['no categories', { documents: [{ text: 'x' }], categories: [] }, /categories: at least two categories/],
    [
      'duplicate category names',
      { documents: [{ text: 'x' }], categories: [{ name: 'a' }, { name: 'A' }] },
      /categories\.1\.name: duplicate category name "A"/,
    ],
    [
      'an unknown stage',
      { documents: [{ text: 'x' }], categories: CATEGORIES, stages: [{ type: 'oracle' }] },
      /stages\.0\.type: unknown stage type "oracle"/,
    ],
    [
      'a threshold outside [0, 1]',
      { documents: [{ text: 'x' }], categories: CATEGORIES, stages: [{ type: 'llm', threshold: 3 }] },
      /stages\.0\.threshold: a threshold is a confidence between 0 and 1/,
    ],
  ])('rejects a batch with %s: 400 naming the problem, and nothing stored', async (_, body, message) => {
    const someone = await newUser(env.stack);
    const payload = 'categories' in body || 'workflowId' in body ? body : { ...body, workflowId };
    const response = await classification(env.stack, someone, 'POST', '/batch', payload);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/^Invalid batch: /);
    expect(response.body.error.message).toMatch(message);
    const rows = await asOwner(env.stack.database.url, (db) =>
      db.query('select 1 from classification_batches where user_id = $1', [someone.id]),
    );
    expect(rows.rowCount).toBe(0);
  });
});
