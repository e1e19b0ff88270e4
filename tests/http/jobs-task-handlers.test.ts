// Every queue the mission names has a handler, and the three per-item AI tasks do their work as the user named
// in the payload: a document classified into classification_results, a document analysed into a notification,
// and a meeting's bot configuration worked out ahead of scheduling (local provider, real database).
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/http/logger.ts';
import { parsePayload } from '../../shared/jobs/contract.ts';
import { QUEUE_NAMES } from '../../shared/jobs/queues.ts';
import type { JobContext } from '../../shared/jobs/registry.ts';
import { insertMeeting, ownerClient, ZOOM } from '../support/bots-fixtures.ts';
import { createUser } from '../support/db.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let db: pg.Client;
let alice: string;
let bob: string;

beforeAll(async () => {
  stack = await startTestStack({ AI_PROVIDER: 'local' });
  db = await ownerClient(stack.database.url);
  alice = await createUser(stack.database.url);
  bob = await createUser(stack.database.url);
});
afterAll(async () => {
  await db.end();
  await stack.stop();
});

/** Runs a queue's handler as the worker would: payload checked by its schema, then handled. */
async function run(queue: string, data: unknown, id = randomUUID()) {
  const job = stack.services.jobs.registry.get(queue);
  if (!job) throw new Error(`no handler for ${queue}`);
  const context: JobContext = {
    id,
    queue,
    retryCount: 0,
    signal: new AbortController().signal,
    logger: createLogger('error'),
  };
  return (await job.handler(parsePayload(job, data), context)) as Record<string, unknown>;
}

async function document(userId: string, content: string) {
  const { rows } = await db.query<{ id: string }>(
    `insert into public.documents (user_id, title, content) values ($1, 'Notes', $2) returning id`,
    [userId, content],
  );
  return rows[0]!.id;
}

const CATEGORIES = [
  { name: 'invoice', keywords: ['invoice', 'amount', 'due'] },
  { name: 'contract', keywords: ['agreement', 'party', 'term'] },
];
const INVOICE =
  'Invoice 2231: the amount of $4,200 is due on March 3. Please pay by bank transfer; late payment adds 2%.';

it('has a handler for every queue', () => {
  for (const queue of QUEUE_NAMES) expect(stack.services.jobs.registry.get(queue), queue).toBeDefined();
});

describe('ai.classify_document_enhanced', () => {
  it("classifies the user's document and stores the result as theirs", async () => {
    const documentId = await document(alice, INVOICE);
    const request = { documentId, categories: CATEGORIES };
    const result = await run('ai.classify_document_enhanced', { userId: alice, request });
    expect(result).toMatchObject({ documentId, status: 'completed', category: 'invoice' });
    const { rows } = await db.query(
      'select user_id, document_id from public.classification_results where id = $1',
      [result.id],
    );
    expect(rows).toEqual([{ user_id: alice, document_id: documentId }]);
  });

  it('stores one result per job and pays nothing more when the job is delivered again', async () => {
    const documentId = await document(alice, INVOICE);
    const jobId = randomUUID();
    const payload = { userId: alice, request: { documentId, categories: CATEGORIES } };
    const first = await run('ai.classify_document_enhanced', payload, jobId);
    const calls = async () =>
      (
        await db.query('select count(*)::int as n from public.ai_processing_logs where request_id = $1', [
          `job:${jobId}`,
        ])
      ).rows[0].n;
    const callsAfterFirst = await calls();
    expect(callsAfterFirst).toBeGreaterThan(0);
    const again = await run('ai.classify_document_enhanced', payload, jobId);
    expect(again).toEqual(first);
    expect(first.id).toBe(jobId);
    expect(await calls()).toBe(callsAfterFirst);
    const { rows } = await db.query(
      'select count(*)::int as n from public.classification_results where document_id = $1',
      [documentId],
    );
    expect(rows[0].n).toBe(1);
  });

  it("refuses another user's document without retrying, and rejects a payload with no categories", async () => {
    const documentId = await document(alice, INVOICE);
    await expect(
      run('ai.classify_document_enhanced', {
        userId: bob,
        request: { documentId, categories: CATEGORIES },
      }),
    ).rejects.toMatchObject({ name: 'NonRetriableError', message: expect.stringMatching(/not found/) });
    await expect(
      run('ai.classify_document_enhanced', { userId: alice, request: { documentId } }),
    ).rejects.toMatchObject({ name: 'InvalidJobPayloadError' });
  });
});

describe('ai.process_ai_analysis', () => {
  it('delivers the analysis as a notification, once however often the job is delivered', async () => {
    const documentId = await document(
      alice,
      'Kickoff with Acme. Dana will send the signed contract by Friday. We agreed to a pilot in May.',
    );
    const jobId = randomUUID();
    const first = await run('ai.process_ai_analysis', { userId: alice, documentId }, jobId);
    const again = await run('ai.process_ai_analysis', { userId: alice, documentId }, jobId);
    expect(first).toMatchObject({ documentId, found: true, provider: 'local' });
    expect(again.notificationId).toBe(first.notificationId);
    const { rows } = await db.query(
      `select user_id, kind, body, payload from public.notifications where payload->>'documentId' = $1`,
      [documentId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ user_id: alice, kind: 'ai.analysis' });
    expect(rows[0].body).toBe(rows[0].payload.analysis.summary);
    expect(rows[0].body.length).toBeGreaterThan(0);
  });

  it("finds nothing for another user's document and writes nothing", async () => {
    const documentId = await document(alice, INVOICE);
    expect(await run('ai.process_ai_analysis', { userId: bob, documentId })).toEqual({
      documentId,
      found: false,
    });
    const { rows } = await db.query(`select 1 from public.notifications where payload->>'documentId' = $1`, [
      documentId,
    ]);
    expect(rows).toHaveLength(0);
  });
});

describe('ai.generate_bot_configuration', () => {
  it("works out the configuration of the user's meeting, and finds nobody else's", async () => {
    const meetingId = await insertMeeting(db, alice, { meetingUrl: ZOOM, title: 'Quarterly review' });
    const result = await run('ai.generate_bot_configuration', { userId: alice, meetingId });
    expect(result).toMatchObject({ meetingId, found: true, source: 'ai' });
    expect(result.configuration).toMatchObject({ botName: expect.any(String) });
    const logged = await db.query(
      `select count(*)::int as n from public.ai_processing_logs where user_id = $1 and operation = 'bot_configuration'`,
      [alice],
    );
    expect(logged.rows[0].n).toBeGreaterThan(0);
    expect(await run('ai.generate_bot_configuration', { userId: bob, meetingId })).toEqual({
      meetingId,
      found: false,
    });
  });
});
