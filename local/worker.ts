// `npm run worker`: the long-running job worker over DATABASE_URL (the local stack, `npm start`, runs one itself).
// Works every registered queue, supervises jobs whose worker died, and runs the periodic schedules itself where
// the database has no pg_cron. Ctrl-C or SIGTERM lets batches in flight finish.

import { startJobWorker } from '../shared/jobs/worker-runtime.ts';
import { closeServices, createServices } from '../shared/runtime.ts';
import { LOCAL_JWT_SECRET } from './keys.ts';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('Set DATABASE_URL to the database to work (the local stack, npm start, runs its own worker)');
  process.exit(1);
}
const services = createServices({ ...process.env, JWT_SECRET: process.env.JWT_SECRET ?? LOCAL_JWT_SECRET });
const running = await startJobWorker(services, {
  databaseUrl,
  queues: process.env.WORKER_QUEUES?.split(',')
    .map((queue) => queue.trim())
    .filter(Boolean),
});
console.log(
  `Job worker running (schedules: ${running.scheduleDriver}); queues: ${running.worker.queues.join(', ')}`,
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the worker`);
  await running.stop();
  await closeServices(services);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
