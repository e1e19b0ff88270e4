import type { Queue } from 'pg-boss';
import { LOCAL_JWT_SECRET } from '../../local/keys.ts';
import type { BatchResult } from '../../shared/jobs/runner.ts';
import type { JobWorker } from '../../shared/jobs/worker.ts';
import { closeServices, createServices } from '../../shared/runtime.ts';
import type { AppServices } from '../../shared/services.ts';

export { closeServices };

/** The services of a process over a test database, quiet unless something fails. */
export function createTestServices(databaseUrl: string): AppServices {
  return createServices({ DATABASE_URL: databaseUrl, JWT_SECRET: LOCAL_JWT_SECRET, LOG_LEVEL: 'error' });
}

/** Creates (or updates) a queue for a test, with a dead-letter queue `<name>.dead` unless told otherwise. */
export async function createTestQueue(
  services: AppServices,
  name: string,
  options: Omit<Queue, 'name'> = {},
): Promise<void> {
  const boss = await services.jobs.boss();
  const deadLetter = options.deadLetter ?? `${name}.dead`;
  await boss.createQueue(deadLetter, { retryLimit: 0 });
  await boss.createQueue(name, { notify: true, ...options, deadLetter });
}

/**
 * Resolves with the first settled batch of `queue` for which `match` is true: tests wait on the worker's events
 * rather than sleeping and polling.
 */
export function nextSettled(
  worker: JobWorker,
  queue: string,
  match: (result: BatchResult) => boolean,
  timeoutMs = 30_000,
): Promise<BatchResult> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      worker.off('settled', onSettled);
      reject(new Error(`no matching settled batch on ${queue} within ${timeoutMs} ms`));
    }, timeoutMs);
    function onSettled(result: BatchResult) {
      if (result.queue !== queue || !match(result)) return;
      clearTimeout(timer);
      worker.off('settled', onSettled);
      resolve(result);
    }
    worker.on('settled', onSettled);
  });
}
