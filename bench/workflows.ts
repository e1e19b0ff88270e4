// `npm run bench:workflows`: 1,000 executions of a three-step workflow (classification with the local provider,
// routing, notification) through the real queue and worker, on a throwaway Postgres with every migration.
// Prints executions per second and the median and p99 time from execute to completed. Needs no configuration.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { LOCAL_JWT_SECRET } from '../local/keys.ts';
import { prepareDatabase } from '../local/migrate.ts';
import { startJobWorker } from '../shared/jobs/worker-runtime.ts';
import { createServices } from '../shared/runtime.ts';
import { WorkflowInputSchema } from '../shared/workflows/definition.ts';
import { createExecutionService } from '../shared/workflows/execution-service.ts';
import { executeWorkflowJob } from '../shared/workflows/job-contracts.ts';
import { createWorkflowsDeps } from '../shared/workflows/wiring.ts';
import { createWorkflowService } from '../shared/workflows/workflow-service.ts';
import { startTestCluster } from '../tests/support/cluster.ts';

const EXECUTIONS = Number(process.env.BENCH_EXECUTIONS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const SOLO = 20;
const TOPICS = ['agreement between the parties', 'invoice amount due', 'meeting notes and next steps'];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const cluster = await startTestCluster('postgres');
const admin = new pg.Client({ connectionString: cluster.adminUrl });
await admin.connect();
await admin.query('create database bench_workflows');
await admin.end();
const url = cluster.adminUrl.replace(/\/postgres$/, '/bench_workflows');
await prepareDatabase(url);

// The shared AI rate limit defaults to an OpenAI tier's budget (500 requests/min); the offline local provider
// has no such budget to respect, so the benchmark lifts it to measure the workflow engine, not the limiter.
const services = createServices({
  DATABASE_URL: url,
  JWT_SECRET: LOCAL_JWT_SECRET,
  LOG_LEVEL: 'error',
  DB_POOL_MAX: process.env.BENCH_POOL ?? '30',
  AI_RATE_LIMIT_RPM: '1000000',
  AI_RATE_LIMIT_TPM: '1000000000',
});
const running = await startJobWorker(services, {
  databaseUrl: url,
  queues: [executeWorkflowJob.queue],
  pollIntervalMs: 200,
  schedules: false,
});
try {
  const userId = randomUUID();
  const owner = new pg.Client({ connectionString: url });
  await owner.connect();
  await owner.query(
    `insert into auth.users (id, email, aud, role) values ($1, $2, 'authenticated', 'authenticated')`,
    [userId, `${userId}@bench.test`],
  );
  // Distinct texts, so the AI result cache does not answer every call after the first.
  const { rows: documents } = await owner.query<{ id: string }>(
    `insert into documents (user_id, title, content)
     select $1, 'Document ' || i, 'Document ' || i || ' is about ' || ($2::text[])[1 + i % 3] || '. Reference ' || md5(i::text) || '.'
       from generate_series(1, $3) as i
     returning id`,
    [userId, TOPICS, EXECUTIONS],
  );
  const user = { role: 'authenticated' as const, sub: userId };
  const deps = createWorkflowsDeps(services);
  const workflow = await createWorkflowService(services.db).create(
    user,
    WorkflowInputSchema.parse({
      name: 'Bench',
      steps: [
        {
          id: 'classify',
          type: 'classification',
          config: {
            categories: [
              { name: 'contract', keywords: ['agreement', 'parties'] },
              { name: 'invoice', keywords: ['invoice', 'amount', 'due'] },
              { name: 'notes', keywords: ['meeting', 'notes', 'steps'] },
            ],
          },
        },
        {
          id: 'route',
          type: 'routing',
          config: {
            rules: [
              {
                when: { '==': [{ var: 'steps.classify.output.category' }, 'contract'] },
                destination: { type: 'team', id: 'legal' },
              },
              {
                when: { '==': [{ var: 'steps.classify.output.category' }, 'invoice'] },
                destination: { type: 'team', id: 'finance' },
              },
            ],
            fallback: { type: 'queue', id: 'general' },
          },
        },
        { id: 'notify', type: 'notification', config: { title: 'Document routed' } },
      ],
    }),
  );
  const executions = createExecutionService(deps);

  // One at a time first: the latency of an execution that does not wait behind a backlog.
  const solo: number[] = [];
  for (let i = 0; i < SOLO; i++) {
    const t0 = performance.now();
    const { id } = await executions.execute(user, workflow.id, { documentId: documents[i]!.id });
    for (;;) {
      const { rows } = await owner.query<{ status: string }>(
        'select status from workflow_executions where id = $1',
        [id],
      );
      if (rows[0]!.status === 'completed') break;
      if (rows[0]!.status === 'failed') throw new Error(`execution ${id} failed`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    solo.push(performance.now() - t0);
  }
  await owner.query('delete from workflow_executions');
  solo.sort((a, b) => a - b);

  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < documents.length) {
        const documentId = documents[next++]!.id;
        await executions.execute(user, workflow.id, { documentId });
      }
    }),
  );
  const submitted = performance.now();
  for (;;) {
    const { rows } = await owner.query<{ open: string; failed: string }>(
      `select count(*) filter (where status not in ('completed', 'failed')) as open,
              count(*) filter (where status = 'failed') as failed
         from workflow_executions`,
    );
    if (Number(rows[0]!.open) === 0) {
      if (Number(rows[0]!.failed) > 0) throw new Error(`${rows[0]!.failed} executions failed`);
      break;
    }
    if (performance.now() - started > 600_000)
      throw new Error(`${rows[0]!.open} executions still open after 10 min`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const { rows } = await owner.query<{ ms: number; first: Date; last: Date }>(
    `select extract(epoch from finished_at - created_at) * 1000 as ms,
            min(created_at) over () as first, max(finished_at) over () as last
       from workflow_executions`,
  );
  await owner.end();
  const latencies = rows.map((row) => Number(row.ms)).sort((a, b) => a - b);
  const wallSeconds = (rows[0]!.last.getTime() - rows[0]!.first.getTime()) / 1000;
  const result = {
    executions: latencies.length,
    steps: 3,
    executionsPerSecond: Math.round((latencies.length / wallSeconds) * 10) / 10,
    medianMs: Math.round(percentile(latencies, 50)),
    p99Ms: Math.round(percentile(latencies, 99)),
    submitSeconds: Math.round(submitted - started) / 1000,
    concurrency: CONCURRENCY,
    soloMedianMs: Math.round(percentile(solo, 50)),
    soloP99Ms: Math.round(percentile(solo, 99)),
  };
  console.log(
    [
      `workflows: ${result.executions} executions of a ${result.steps}-step workflow (local provider, real queue)`,
      `  throughput:        ${result.executionsPerSecond} executions/s`,
      `  execute→completed: median ${result.medianMs} ms, p99 ${result.p99Ms} ms`,
      `  submitted in ${result.submitSeconds} s with ${CONCURRENCY} concurrent callers (the latency above includes`,
      '  the wait behind that backlog)',
      `  one at a time:     median ${result.soloMedianMs} ms, p99 ${result.soloP99Ms} ms (${SOLO} executions, no backlog)`,
    ].join('\n'),
  );
  console.log(JSON.stringify(result));
} finally {
  await running.stop(2000);
  await services.jobs.close();
  await services.db.close();
  await cluster.stop();
}
