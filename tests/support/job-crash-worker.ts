// A worker process for the crash test: `node tests/support/job-crash-worker.ts <database url>`. Its handler
// records the delivery, applies the job's effect idempotently, then (on the first attempt) hangs so the test can
// SIGKILL it mid-job. Prints `STARTED <job id>` once the effect is committed.
import { startJobWorker } from '../../shared/jobs/worker-runtime.ts';
import { crashJob, registerCrashHandler } from './job-crash.ts';
import { createTestServices } from './jobs.ts';

const databaseUrl = process.argv[2]!;
const services = createTestServices(databaseUrl);
registerCrashHandler(services, async (jobId, retryCount) => {
  if (retryCount > 0) return;
  process.stdout.write(`STARTED ${jobId}\n`);
  await new Promise(() => {});
});
await startJobWorker(services, { databaseUrl, queues: [crashJob.queue], schedules: false });
process.stdout.write('READY\n');
