import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_JWT_SECRET } from '../../local/keys.ts';
import type { UserClaims } from '../../shared/auth/claims.ts';
import { CHUNK_ITEM_CONCURRENCY, runBatchJob } from '../../shared/classification/batch-jobs.ts';
import { submitBatch } from '../../shared/classification/batch-service.ts';
import { type ClassificationDeps, createClassificationDeps } from '../../shared/classification/deps.ts';
import { createServices } from '../../shared/runtime.ts';
import type { AppServices } from '../../shared/services.ts';
import { CATEGORIES } from '../support/classification-harness.ts';
import { createTestDatabase, createUser, type TestDatabase } from '../support/db.ts';
import { asOwner } from '../support/harness.ts';

let database: TestDatabase;
let services: AppServices;
let deps: ClassificationDeps;

beforeAll(async () => {
  database = await createTestDatabase();
  services = createServices({
    DATABASE_URL: database.url,
    JWT_SECRET: LOCAL_JWT_SECRET,
    LOG_LEVEL: 'error',
    AI_PROVIDER: 'local',
  });
  deps = createClassificationDeps(services, { chunkSize: 10 });
});
afterAll(async () => {
  await services.jobs.close();
  await services.db.close();
  await database.drop();
});

const userClaims = (sub: string): UserClaims => ({ role: 'authenticated', sub, aud: 'authenticated' });
const request = (n: number) => ({
  documents: Array.from({ length: n }, (_, i) => ({ text: `invoice ${i}: refund the payment` })),
  categories: CATEGORIES,
  stages: [{ type: 'rules' as const }, { type: 'sentiment' as const, provider: 'local' as const }],
});

async function batchRow(id: string) {
  const { rows } = await asOwner(database.url, (db) =>
    db.query(
      'select status, total_items, done_items, failed_items, summary from classification_batches where id = $1',
      [id],
    ),
  );
  return rows[0];
}

describe('batch jobs', () => {
  it('stores the batch, its items and its first job in one transaction: a failed enqueue stores nothing', async () => {
    const userId = await createUser(database.url);
    const failing = {
      ...deps,
      jobs: {
        send: async () => {
          throw new Error('queue unavailable');
        },
      },
    };
    await expect(submitBatch(failing, userClaims(userId), request(3))).rejects.toThrow('queue unavailable');
    const none = await asOwner(database.url, (db) =>
      db.query(
        `select (select count(*) from classification_batches where user_id = $1) as batches,
                (select count(*) from classification_results where user_id = $1) as items`,
        [userId],
      ),
    );
    expect(none.rows[0]).toEqual({ batches: '0', items: '0' });

    const batch = await submitBatch(deps, userClaims(userId), request(3));
    const jobs = await asOwner(database.url, (db) =>
      db.query(
        `select data from pgboss.job where name = 'ai.process_classification_batch' and data->>'batchId' = $1`,
        [batch.id],
      ),
    );
    expect(jobs.rows).toEqual([{ data: { batchId: batch.id, userId } }]);
  });

  it('splits a batch once, however often its first job is delivered', async () => {
    const userId = await createUser(database.url);
    const batch = await submitBatch(deps, userClaims(userId), request(25));
    expect(await runBatchJob(deps, { batchId: batch.id, userId })).toEqual({ chunks: 3 });
    expect(await runBatchJob(deps, { batchId: batch.id, userId })).toEqual({ chunks: 0 });
    const chunks = await asOwner(database.url, (db) =>
      db.query<{ range: string }>(
        `select (data->>'from') || '-' || (data->>'to') as range from pgboss.job
          where data->>'batchId' = $1 and data ? 'from' order by (data->>'from')::int`,
        [batch.id],
      ),
    );
    expect(chunks.rows.map((row) => row.range)).toEqual(['0-9', '10-19', '20-24']);
  });

  it('counts each item once when a chunk is delivered twice at the same time and once more later', async () => {
    const userId = await createUser(database.url);
    const batch = await submitBatch(deps, userClaims(userId), request(10));
    await runBatchJob(deps, { batchId: batch.id, userId });
    const chunk = { batchId: batch.id, userId, from: 0, to: 9 };
    const runs = await Promise.all([
      runBatchJob(deps, chunk),
      runBatchJob(deps, chunk),
      runBatchJob(deps, chunk),
    ]);
    const settled = runs.reduce((sum, run) => sum + ((run as { settled: number }).settled ?? 0), 0);
    expect(settled).toBe(10);
    expect(await runBatchJob(deps, chunk)).toEqual({ settled: 0, skipped: 0, handedOn: 0 });
    expect(await batchRow(batch.id)).toMatchObject({
      status: 'completed',
      total_items: 10,
      done_items: 10,
      failed_items: 0,
      summary: { categories: { billing: 10 }, unclassified: 0, totalCostUsd: 0 },
    });
    const attempts = await asOwner(database.url, (db) =>
      db.query('select distinct attempts from classification_results where batch_id = $1', [batch.id]),
    );
    expect(attempts.rows).toEqual([{ attempts: 1 }]);
  });

  it('asked to wrap up, finishes the items it started and sends the rest as a chunk job ready at once', async () => {
    const userId = await createUser(database.url);
    const batch = await submitBatch(deps, userClaims(userId), request(10));
    await runBatchJob(deps, { batchId: batch.id, userId });
    const wrapUp = new AbortController();
    wrapUp.abort();
    const chunk = { batchId: batch.id, userId, from: 0, to: 9 };
    // Already wrapping up: each of the chunk's CHUNK_ITEM_CONCURRENCY lanes finishes the item it took.
    expect(await runBatchJob(deps, chunk, undefined, wrapUp.signal)).toEqual({
      settled: CHUNK_ITEM_CONCURRENCY,
      skipped: 0,
      handedOn: 10 - CHUNK_ITEM_CONCURRENCY,
    });
    const { rows } = await asOwner(database.url, (db) =>
      db.query(
        `select data, priority, retry_count, start_after <= now() as ready from pgboss.job
          where data->>'batchId' = $1 and (data->>'from')::int = $2`,
        [batch.id, CHUNK_ITEM_CONCURRENCY],
      ),
    );
    expect(rows).toEqual([
      {
        data: { batchId: batch.id, userId, from: CHUNK_ITEM_CONCURRENCY, to: 9 },
        priority: -1,
        retry_count: 0,
        ready: true,
      },
    ]);
    expect(await runBatchJob(deps, rows[0].data)).toEqual({
      settled: 10 - CHUNK_ITEM_CONCURRENCY,
      skipped: 0,
      handedOn: 0,
    });
    expect(await batchRow(batch.id)).toMatchObject({ status: 'completed', done_items: 10, failed_items: 0 });
    const attempts = await asOwner(database.url, (db) =>
      db.query('select distinct attempts from classification_results where batch_id = $1', [batch.id]),
    );
    expect(attempts.rows).toEqual([{ attempts: 1 }]);
  });

  it('does nothing for a batch of another user', async () => {
    const owner = await createUser(database.url);
    const intruder = await createUser(database.url);
    const batch = await submitBatch(deps, userClaims(owner), request(2));
    expect(await runBatchJob(deps, { batchId: batch.id, userId: intruder })).toEqual({ chunks: 0 });
    expect(await batchRow(batch.id)).toMatchObject({ status: 'queued', done_items: 0 });
  });
});
