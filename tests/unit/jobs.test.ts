import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { staleMigrations } from '../../scripts/gen-job-migrations.ts';
import { isNonRetriable, NonRetriableError } from '../../shared/http/retry.ts';
import { defineJob, parsePayload } from '../../shared/jobs/contract.ts';
import { InvalidJobPayloadError } from '../../shared/jobs/errors.ts';
import { evaluateAlerts } from '../../shared/jobs/handlers/monitor.ts';
import { AI_TASK_ROUTES, AiTaskSchema } from '../../shared/jobs/handlers/route-ai-tasks.ts';
import { allQueues, deadLetterOf, QUEUE_NAMES, QUEUES } from '../../shared/jobs/queues.ts';
import { JobRegistry } from '../../shared/jobs/registry.ts';

describe('pg-boss pinning', () => {
  it('pins pg-boss to one exact version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.dependencies['pg-boss']).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('keeps the pg-boss schema and supervision migrations identical to what the pinned pg-boss generates', () => {
    expect(staleMigrations()).toEqual([]);
  });
});

describe('queue settings', () => {
  it('gives every task queue retries with exponential backoff, an expiry and its own dead-letter queue', () => {
    expect(Object.keys(QUEUES).sort()).toEqual([...QUEUE_NAMES].sort());
    for (const [name, settings] of Object.entries(QUEUES)) {
      expect(settings.retryLimit).toBeGreaterThan(0);
      expect(settings.retryBackoff).toBe(true);
      expect(settings.expireInSeconds).toBeGreaterThan(0);
      expect(settings.deadLetter).toBe(deadLetterOf(name));
    }
  });

  it('creates dead-letter queues before the queues that name them', () => {
    const order = allQueues().map(([name]) => name);
    for (const [name, settings] of allQueues()) {
      if (settings.deadLetter) expect(order.indexOf(settings.deadLetter)).toBeLessThan(order.indexOf(name));
    }
  });
});

describe('job contracts and the registry', () => {
  const job = defineJob('test.contract', z.object({ id: z.string().uuid() }));

  it('returns the parsed payload and rejects one that breaks the schema with a non-retriable error', () => {
    const id = crypto.randomUUID();
    expect(parsePayload(job, { id })).toEqual({ id });
    expect(() => parsePayload(job, { id: 'x' })).toThrow(InvalidJobPayloadError);
    try {
      parsePayload(job, { id: 'x' });
    } catch (error) {
      expect(isNonRetriable(error)).toBe(true);
      expect((error as InvalidJobPayloadError).issues).toEqual([{ path: 'id', message: 'Invalid UUID' }]);
    }
  });

  it('treats NonRetriableError by name, so a service’s own class of that name is honoured', () => {
    class ServiceError extends Error {
      override name = 'NonRetriableError';
    }
    expect(isNonRetriable(new NonRetriableError('gone'))).toBe(true);
    expect(isNonRetriable(new ServiceError('gone'))).toBe(true);
    expect(isNonRetriable(new Error('timeout'))).toBe(false);
  });

  it('registers handlers by contract or by queue and schema, and refuses a senseless concurrency', () => {
    const registry = new JobRegistry()
      .register(job, async () => 'a')
      .registerHandler('test.other', z.object({}), async () => 'b', { concurrency: 3 });
    expect(registry.queues()).toEqual(['test.contract', 'test.other']);
    expect(registry.get('test.other')?.concurrency).toBe(3);
    expect(registry.get('test.contract')?.concurrency).toBe(10);
    expect(() => registry.register(job, async () => 'c', { concurrency: 0 })).toThrow(RangeError);
  });
});

describe('ai.route_ai_tasks', () => {
  it('routes every kind of task to one of the task queues, never to itself', () => {
    for (const queue of Object.values(AI_TASK_ROUTES)) {
      expect(QUEUE_NAMES).toContain(queue);
      expect(queue).not.toBe('ai.route_ai_tasks');
    }
  });

  it('accepts only known task types with an object payload', () => {
    expect(AiTaskSchema.safeParse({ type: 'ai_analysis', payload: { documentId: 'd' } }).success).toBe(true);
    expect(AiTaskSchema.safeParse({ type: 'mine_bitcoin', payload: {} }).success).toBe(false);
    expect(AiTaskSchema.safeParse({ type: 'ai_analysis', payload: 'text' }).success).toBe(false);
  });
});

describe('queue health alerts', () => {
  const healthy = {
    queue: 'ai.x',
    deadLetter: 'ai.x.dead',
    queued: 3,
    ready: 3,
    active: 1,
    failed: 0,
    deadLettered: 0,
    oldestReadySeconds: 2,
  };

  it('raises nothing for a queue keeping up', () => {
    expect(evaluateAlerts([healthy])).toEqual([]);
  });

  it('raises stale and large backlogs, dead letters and failures past their thresholds', () => {
    const alerts = evaluateAlerts([
      { ...healthy, queued: 1500, oldestReadySeconds: 600, failed: 2, deadLettered: 1 },
    ]);
    expect(alerts.map((alert) => alert.kind).sort()).toEqual([
      'dead_letters',
      'failures',
      'large_backlog',
      'stale_backlog',
    ]);
  });
});
