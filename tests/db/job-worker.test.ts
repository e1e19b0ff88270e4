import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NonRetriableError } from '../../shared/http/retry.ts';
import { defineJob } from '../../shared/jobs/contract.ts';
import { InvalidJobPayloadError } from '../../shared/jobs/errors.ts';
import { routeAiTasksHandler, routeAiTasksJob } from '../../shared/jobs/handlers/route-ai-tasks.ts';
import { JobRegistry } from '../../shared/jobs/registry.ts';
import { type RunningWorker, startJobWorker } from '../../shared/jobs/worker-runtime.ts';
import type { AppServices } from '../../shared/services.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { closeServices, createTestQueue, createTestServices, nextSettled } from '../support/jobs.ts';

let database: TestDatabase;
let services: AppServices;
let running: RunningWorker;

// Attempt times of the always-failing handler, by job id.
const attempts = new Map<string, number[]>();

const flakyJob = defineJob('test.flaky', z.object({ n: z.number() }));
const fatalJob = defineJob('test.fatal', z.object({ n: z.number() }));
const quietJob = defineJob('test.quiet', z.object({ note: z.string() }));
const notifyJob = defineJob('test.notify', z.object({ note: z.string() }));
const analysisJob = defineJob('ai.process_ai_analysis', z.object({ documentId: z.string().uuid() }));

beforeAll(async () => {
  database = await createTestDatabase();
  services = createTestServices(database.url);
  await createTestQueue(services, 'test.flaky', { retryLimit: 3, retryDelay: 1, retryBackoff: true });
  await createTestQueue(services, 'test.fatal', { retryLimit: 5, retryDelay: 1 });
  await createTestQueue(services, 'test.quiet', { retryLimit: 0 });
  await createTestQueue(services, 'test.notify', { retryLimit: 0 });
  const { registry } = services.jobs;
  registry.register(flakyJob, async (_data, job) => {
    attempts.set(job.id, [...(attempts.get(job.id) ?? []), performance.now()]);
    throw new Error('provider unavailable');
  });
  registry.register(fatalJob, async () => {
    throw new NonRetriableError('document was deleted');
  });
  registry.register(quietJob, async (data) => ({ echoed: data.note }));
  registry.register(notifyJob, async (data) => ({ echoed: data.note }));
  registry.register(analysisJob, async (data) => ({ analysed: data.documentId }));
  running = await startJobWorker(services, {
    databaseUrl: database.url,
    queues: ['test.flaky', 'test.fatal', 'test.quiet', 'ai.route_ai_tasks', 'ai.process_ai_analysis'],
    // Deferred retries are not announced by NOTIFY, so their wake-up is this poll.
    pollIntervalMs: 100,
    schedules: false,
  });
});
afterAll(async () => {
  await running?.stop();
  await closeServices(services);
  await database.drop();
});

async function jobRow(queue: string, id: string) {
  const boss = await services.jobs.boss();
  return (await boss.findJobs(queue, { id }))[0];
}

describe('the job worker', () => {
  it('retries a failing handler with growing delays, then moves the job to its dead-letter queue', async () => {
    const deadLettered = nextSettled(
      running.worker,
      'test.flaky',
      (r) => r.failed.length > 0 && attemptsDone(),
    );
    const id = await services.jobs.send(flakyJob, { n: 1 });
    const attemptsDone = () => (attempts.get(id!)?.length ?? 0) === 4;
    await deadLettered;

    const times = attempts.get(id!)!;
    const gaps = times.slice(1).map((t, i) => (t - times[i]!) / 1000);
    // pg-boss's backoff waits retryDelay * 2^n to 2^(n+1) seconds before retry n+1 (n from 0): 1-2, 2-4, 4-8 s.
    expect(gaps[0]).toBeGreaterThanOrEqual(0.95);
    expect(gaps[1]).toBeGreaterThanOrEqual(1.95);
    expect(gaps[2]).toBeGreaterThanOrEqual(3.95);
    expect(gaps[2]).toBeGreaterThan(gaps[0]!);
    for (const [i, gap] of gaps.entries()) expect(gap).toBeLessThan(2 ** (i + 1) + 1);

    expect(await jobRow('test.flaky', id!)).toMatchObject({ state: 'failed', retryCount: 3 });
    const boss = await services.jobs.boss();
    const [dead] = await boss.findJobs('test.flaky.dead', { data: { n: 1 } });
    expect(dead).toMatchObject({ data: { n: 1 }, sourceName: 'test.flaky', sourceId: id, state: 'created' });
  }, 40_000);

  it('sends a job whose handler throws NonRetriableError straight to the dead-letter queue', async () => {
    const settled = nextSettled(running.worker, 'test.fatal', (r) => r.deadLettered.length > 0);
    const id = await services.jobs.send(fatalJob, { n: 2 });
    expect((await settled).deadLettered).toEqual([id]);
    expect(await jobRow('test.fatal', id!)).toMatchObject({ state: 'failed', retryCount: 0 });
    const boss = await services.jobs.boss();
    expect(await boss.findJobs('test.fatal.dead', { data: { n: 2 } })).toHaveLength(1);
  });

  it('refuses to send a payload that breaks its schema, and dead-letters one that reaches a handler', async () => {
    await expect(services.jobs.send(fatalJob, { n: 'two' } as unknown as { n: number })).rejects.toThrow(
      InvalidJobPayloadError,
    );
    // Sent around the schema (an older release, a hand-written SQL insert): the handler side catches it.
    const settled = nextSettled(running.worker, 'test.quiet', (r) => r.deadLettered.length > 0);
    const boss = await services.jobs.boss();
    const id = await boss.send('test.quiet', { note: 42 });
    expect((await settled).deadLettered).toEqual([id]);
    expect((await jobRow('test.quiet', id!))?.output).toMatchObject({
      error: { name: 'InvalidJobPayloadError' },
    });
  });

  it('wakes on pg-boss’s NOTIFY instead of its poll interval when a job is sent to an idle queue', async () => {
    // The only worker of this queue, polling once a minute: only the NOTIFY can wake it in time.
    const idle = await startJobWorker(services, {
      databaseUrl: database.url,
      queues: ['test.notify'],
      pollIntervalMs: 60_000,
      schedules: false,
    });
    try {
      // Its first fetch found nothing; let it settle into the idle wait.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = performance.now();
      const done = nextSettled(idle.worker, 'test.notify', (r) => r.completed.length > 0);
      const id = await services.jobs.send(notifyJob, { note: 'wake up' });
      expect((await done).completed).toEqual([id]);
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      await idle.stop();
    }
  });

  it('routes a generic AI task to the queue of its type, once even when the routing job runs twice', async () => {
    const documentId = '7b0c6a4e-2a55-4a3f-9d1e-4f5a8c2d9e10';
    const analysed = nextSettled(running.worker, 'ai.process_ai_analysis', (r) => r.completed.length > 0);
    const routed = nextSettled(running.worker, 'ai.route_ai_tasks', (r) => r.completed.length > 0);
    const id = await services.jobs.send(routeAiTasksJob, { type: 'ai_analysis', payload: { documentId } });
    expect((await routed).completed).toEqual([id]);
    expect((await analysed).completed).toEqual([id]);
    expect(await jobRow('ai.route_ai_tasks', id!)).toMatchObject({
      state: 'completed',
      output: { queue: 'ai.process_ai_analysis', jobId: id, sent: true },
    });

    // A redelivery (the worker died after sending) runs the handler again: nothing new is sent.
    const handler = services.jobs.registry.get('ai.route_ai_tasks')!.handler;
    const again = await handler(
      { type: 'ai_analysis', payload: { documentId } },
      {
        id: id!,
        queue: 'ai.route_ai_tasks',
        retryCount: 1,
        signal: new AbortController().signal,
        logger: services.logger,
      },
    );
    expect(again).toEqual({ queue: 'ai.process_ai_analysis', jobId: id, sent: false });
    const boss = await services.jobs.boss();
    expect(await boss.findJobs('ai.process_ai_analysis', { data: { documentId } })).toHaveLength(1);
  });

  it('dead-letters a task whose payload does not fit the target queue’s schema', async () => {
    const settled = nextSettled(running.worker, 'ai.route_ai_tasks', (r) => r.deadLettered.length > 0);
    const id = await services.jobs.send(routeAiTasksJob, {
      type: 'ai_analysis',
      payload: { documentId: 'nope' },
    });
    expect((await settled).deadLettered).toEqual([id]);
  });

  it('refuses, without retrying, a task whose target queue has no handler in the process', async () => {
    const handler = routeAiTasksHandler({ ...services.jobs, registry: new JobRegistry() });
    const context = {
      id: crypto.randomUUID(),
      queue: 'ai.route_ai_tasks',
      retryCount: 0,
      signal: new AbortController().signal,
      logger: services.logger,
    };
    await expect(handler({ type: 'classify_document', payload: { text: 'hi' } }, context)).rejects.toThrow(
      NonRetriableError,
    );
  });
});
