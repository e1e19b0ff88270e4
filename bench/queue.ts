// `npm run bench:queue`: the project's job worker against a bare pg-boss fetch/complete loop on the same database.
// Starts its own throwaway PostgreSQL 15 and applies every migration, so it needs no configuration. Each side
// drains JOBS no-op jobs (enqueued beforehand with insert(), not timed), both fetching batches of 100; rounds
// alternate which side goes first, to even out warm-up and the noise of a shared machine.
// Target: the worker reaches at least 80% of the bare rate. Options: JOBS=10000 ROUNDS=3 LOOPS=<worker loops>.
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { z } from 'zod';
import { prepareDatabase } from '../local/migrate.ts';
import { createLogger } from '../shared/http/logger.ts';
import { createWorkerBoss } from '../shared/jobs/boss.ts';
import { defineJob } from '../shared/jobs/contract.ts';
import { JobRegistry } from '../shared/jobs/registry.ts';
import { JobWorker } from '../shared/jobs/worker.ts';
import { startTestCluster } from '../tests/support/cluster.ts';

const JOBS = Number(process.env.JOBS ?? 10_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
// The worker's default is 2 fetch loops per queue sharing the queue's concurrency.
const LOOPS = Number(process.env.LOOPS ?? 2);
const BATCH = 100;
const WORKER_QUEUE = 'bench.worker';
const BARE_QUEUE = 'bench.bare';

const logger = createLogger('warn');
const noopJob = defineJob(WORKER_QUEUE, z.object({ i: z.number().int() }));

async function enqueue(boss: PgBoss, queue: string, count: number) {
  for (let start = 0; start < count; start += 1000) {
    const jobs = Array.from({ length: Math.min(1000, count - start) }, (_, k) => ({
      data: { i: start + k },
    }));
    await boss.insert(queue, jobs);
  }
}

/** The project's worker (shared/jobs/worker.ts) until `count` jobs are completed; returns jobs per second. */
async function runWorker(url: string, count: number): Promise<number> {
  // Concurrency split across the loops, so each fetch is a batch of BATCH like the bare loop's.
  const registry = new JobRegistry().register(noopJob, async () => undefined, { concurrency: BATCH * LOOPS });
  const boss = await createWorkerBoss(url, logger, { schedule: false }).start();
  const worker = new JobWorker({ boss, registry, logger, databaseUrl: url, loopsPerQueue: LOOPS });
  let done = 0;
  const finished = new Promise<void>((resolve) =>
    worker.on('settled', (result) => {
      done += result.completed.length;
      if (done >= count) resolve();
    }),
  );
  const started = performance.now();
  await worker.start();
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  await boss.stop();
  return count / seconds;
}

/** A bare pg-boss loop: fetch a batch, complete it, until the queue is empty; returns jobs per second. */
async function runBare(url: string, count: number): Promise<number> {
  const boss = await quiet(
    new PgBoss({
      connectionString: url,
      migrate: false,
      supervise: false,
      schedule: false,
      registerInstance: false,
    }),
  ).start();
  let done = 0;
  const started = performance.now();
  while (done < count) {
    const jobs = await boss.fetch(BARE_QUEUE, { batchSize: BATCH });
    if (!jobs.length) break;
    await boss.complete(
      BARE_QUEUE,
      jobs.map((job) => job.id),
    );
    done += jobs.length;
  }
  const seconds = (performance.now() - started) / 1000;
  await boss.stop();
  return done / seconds;
}

// Reported, not thrown: an EventEmitter with no 'error' listener would end the run without its real cause.
function quiet(boss: PgBoss): PgBoss {
  boss.on('error', (error) => console.error('pg-boss:', error.message));
  return boss;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

const cluster = await startTestCluster('postgres');
try {
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  await admin.query('create database bench');
  await admin.end();
  const url = cluster.adminUrl.replace(/\/postgres$/, '/bench');
  process.stdout.write('Applying migrations... ');
  await prepareDatabase(url);
  console.log('done');

  const boss = await quiet(
    new PgBoss({ connectionString: url, migrate: false, supervise: false, schedule: false }),
  ).start();
  // The same settings for both queues, as the project's queues have (notify wakes idle workers).
  for (const queue of [WORKER_QUEUE, BARE_QUEUE])
    await boss.createQueue(queue, { notify: true, retryLimit: 2 });

  const rates = { worker: [] as number[], bare: [] as number[] };
  // Warm-up: connections, plans, caches.
  await enqueue(boss, WORKER_QUEUE, 1000);
  await enqueue(boss, BARE_QUEUE, 1000);
  await runWorker(url, 1000);
  await runBare(url, 1000);
  for (let round = 1; round <= ROUNDS; round++) {
    const sides = [
      async () => {
        await enqueue(boss, BARE_QUEUE, JOBS);
        rates.bare.push(await runBare(url, JOBS));
      },
      async () => {
        await enqueue(boss, WORKER_QUEUE, JOBS);
        rates.worker.push(await runWorker(url, JOBS));
      },
    ];
    if (round % 2 === 0) sides.reverse();
    for (const side of sides) await side();
    console.log(
      `round ${round}: bare ${Math.round(rates.bare.at(-1)!)} jobs/s, worker ${Math.round(rates.worker.at(-1)!)} jobs/s`,
    );
  }
  await boss.stop();

  const worker = mean(rates.worker);
  const bare = mean(rates.bare);
  console.log(`\n${JOBS} no-op jobs per run, ${ROUNDS} rounds, batches of ${BATCH}, ${LOOPS} worker loop(s)`);
  console.log(`bare pg-boss fetch/complete: ${Math.round(bare)} jobs/s`);
  console.log(`project worker:              ${Math.round(worker)} jobs/s`);
  console.log(`ratio worker/bare:           ${(worker / bare).toFixed(2)} (target >= 0.80)`);
  process.exitCode = worker / bare >= 0.8 ? 0 : 1;
} finally {
  await cluster.stop();
}
