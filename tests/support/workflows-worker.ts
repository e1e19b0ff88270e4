// A workflow worker in a process of its own, so the crash test can really kill it (SIGKILL, no cleanup).
import { LOCAL_JWT_SECRET } from '../../local/keys.ts';
import { startJobWorker } from '../../shared/jobs/worker-runtime.ts';
import { createServices } from '../../shared/runtime.ts';
import { executeWorkflowJob } from '../../shared/workflows/job-contracts.ts';
import { registerWorkflowJobs } from '../../shared/workflows/jobs.ts';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is required');
const services = createServices({
  DATABASE_URL: databaseUrl,
  JWT_SECRET: LOCAL_JWT_SECRET,
  LOG_LEVEL: 'error',
  // The test receivers listen on loopback.
  WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
});
registerWorkflowJobs(services, { leaseGraceSeconds: Number(process.env.WORKFLOW_LEASE_GRACE_SECONDS ?? 15) });
await startJobWorker(services, {
  databaseUrl,
  queues: [executeWorkflowJob.queue],
  pollIntervalMs: 200,
  schedules: false,
});
