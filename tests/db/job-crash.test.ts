import { type ChildProcess, spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEARTBEAT_SECONDS } from '../../shared/jobs/queues.ts';
import { startJobWorker } from '../../shared/jobs/worker-runtime.ts';
import type { AppServices } from '../../shared/services.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { CRASH_TABLES, crashJob, registerCrashHandler } from '../support/job-crash.ts';
import { closeServices, createTestQueue, createTestServices, nextSettled } from '../support/jobs.ts';

const root = new URL('../..', import.meta.url).pathname;

let database: TestDatabase;
let services: AppServices;
let admin: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  services = createTestServices(database.url);
  // The production heartbeat and a long expiry: the dead worker's claim must lapse through its stopped
  // heartbeat, long before the expiry would.
  await createTestQueue(services, crashJob.queue, {
    retryLimit: 2,
    retryDelay: 0,
    expireInSeconds: 900,
    heartbeatSeconds: HEARTBEAT_SECONDS,
  });
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(CRASH_TABLES);
  await admin.query('grant insert, select on public.test_deliveries, public.test_effects to service_role');
});
afterAll(async () => {
  await admin.end();
  await closeServices(services);
  await database.drop();
});

function waitForLine(child: ChildProcess, prefix: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`no "${prefix}" from the worker:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk;
      const line = output.split('\n').find((l) => l.startsWith(prefix));
      if (!line) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve(line.slice(prefix.length).trim());
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}):\n${output}`)));
  });
}

describe('a worker killed in the middle of a job', () => {
  it('loses nothing: the job is delivered again, completes, and its effect happens once', async () => {
    const child = spawn(process.execPath, ['tests/support/job-crash-worker.ts', database.url], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await waitForLine(child, 'READY', 30_000);
      const started = waitForLine(child, 'STARTED ', 10_000);
      const id = await services.jobs.send(crashJob, { amount: 42 });
      expect(await started).toBe(id);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;

      const boss = await services.jobs.boss();
      expect((await boss.findJobs(crashJob.queue, { id: id! }))[0]?.state).toBe('active');

      // Another worker (production supervision settings) takes over: its pg-boss supervisor sees the
      // heartbeat stop and hands the job out again.
      registerCrashHandler(services, async () => {});
      const restarted = Date.now();
      const next = await startJobWorker(services, {
        databaseUrl: database.url,
        queues: [crashJob.queue],
        pollIntervalMs: 200,
        schedules: false,
      });
      try {
        await nextSettled(next.worker, crashJob.queue, (r) => r.completed.includes(id!), 40_000);
      } finally {
        await next.stop();
      }
      const recoveredMs = Date.now() - restarted;
      console.log(`job of a SIGKILLed worker completed ${recoveredMs} ms after a new worker started`);
      // Heartbeat (10 s) plus one supervise interval (10 s), with room for a loaded machine.
      expect(recoveredMs).toBeLessThan(30_000);

      expect((await boss.findJobs(crashJob.queue, { id: id! }))[0]).toMatchObject({
        state: 'completed',
        retryCount: 1,
        output: { applied: 42 },
      });
      const deliveries = await admin.query(
        'select attempt from public.test_deliveries where job_id = $1 order by at',
        [id],
      );
      expect(deliveries.rows).toEqual([{ attempt: 0 }, { attempt: 1 }]);
      const effects = await admin.query('select amount from public.test_effects where job_id = $1', [id]);
      expect(effects.rows).toEqual([{ amount: 42 }]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
