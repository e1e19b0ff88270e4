// A job worker in its own process, for the test that kills one mid-batch: the services over DATABASE_URL (and
// the fake OpenAI named by the environment), the classification handlers, and a worker. Prints `ready`.
import { LOCAL_JWT_SECRET } from '../../local/keys.ts';
import { registerClassificationJobHandlers } from '../../shared/classification/batch-jobs.ts';
import { startJobWorker } from '../../shared/jobs/worker-runtime.ts';
import { createServices } from '../../shared/runtime.ts';

const databaseUrl = process.env.DATABASE_URL!;
const services = createServices({ ...process.env, JWT_SECRET: LOCAL_JWT_SECRET, LOG_LEVEL: 'error' });
registerClassificationJobHandlers(services);
await startJobWorker(services, { databaseUrl, schedules: false, pollIntervalMs: 100 });
console.log('ready');
