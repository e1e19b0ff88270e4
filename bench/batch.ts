// `npm run bench:batch`: a batch of 1,000 documents through the API and the job queue, classified by an LLM
// stage against a fake OpenAI that answers in 300 ms and allows 600 requests a minute (beyond that it answers
// 429 with Retry-After, as OpenAI does). The shared rate limiter is set to the same 600 a minute, so the worker
// paces itself instead of running into 429s. One request per document, so the bound is 1000 / 600 per minute
// = 100 s; the target is to finish within 115 s with no item failed. Needs no configuration: it starts its own
// throwaway PostgreSQL 15 and applies every migration. Options: DOCS=1000.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import pg from 'pg';
import { createGateway } from '../local/gateway.ts';
import { LOCAL_JWT_SECRET, signToken } from '../local/keys.ts';
import { prepareDatabase } from '../local/migrate.ts';
import { registerClassificationJobHandlers } from '../shared/classification/batch-jobs.ts';
import { startJobWorker } from '../shared/jobs/worker-runtime.ts';
import { createServices } from '../shared/runtime.ts';
import { CATEGORIES, classifyingResponder } from '../tests/support/classification-harness.ts';
import { startTestCluster } from '../tests/support/cluster.ts';
import { createUser } from '../tests/support/db.ts';
import { type FakeReply, type RecordedOpenAiRequest, startFakeOpenAi } from '../tests/support/fake-openai.ts';

const DOCS = Number(process.env.DOCS ?? 1000);
const RPM = 600;
const LATENCY_MS = 300;
const TARGET_RATIO = 1.15;
const boundSeconds = (DOCS / RPM) * 60;

/** The fake's limit: at most RPM requests in any 60 s; beyond it 429 with the seconds until one ages out. */
function rateLimited(answer: (request: RecordedOpenAiRequest) => FakeReply) {
  const admitted: number[] = [];
  let refused = 0;
  return {
    refused: () => refused,
    respond(request: RecordedOpenAiRequest): FakeReply {
      const now = Date.now();
      while (admitted.length && admitted[0]! <= now - 60_000) admitted.shift();
      if (admitted.length >= RPM) {
        refused++;
        const waitMs = admitted[0]! + 60_000 - now;
        return {
          status: 429,
          headers: { 'retry-after': String(Math.ceil(waitMs / 1000)) },
          body: {
            error: {
              message: 'Rate limit reached for requests',
              type: 'requests',
              code: 'rate_limit_exceeded',
            },
          },
        };
      }
      admitted.push(now);
      return { ...answer(request), delayMs: LATENCY_MS };
    },
  };
}

const cluster = await startTestCluster('postgres');
const admin = new pg.Client({ connectionString: cluster.adminUrl });
await admin.connect();
await admin.query('create database bench_batch');
await admin.end();
const databaseUrl = cluster.adminUrl.replace(/\/postgres$/, '/bench_batch');
await prepareDatabase(databaseUrl);

const limit = rateLimited(
  classifyingResponder((text) => ({
    category: text.includes('price') ? 'sales' : 'support',
    confidence: 0.9,
  })),
);
const fake = await startFakeOpenAi((request) => limit.respond(request));
const services = createServices({
  DATABASE_URL: databaseUrl,
  JWT_SECRET: LOCAL_JWT_SECRET,
  LOG_LEVEL: 'warn',
  AI_PROVIDER: 'openai',
  OPENAI_API_KEY: fake.apiKey,
  OPENAI_BASE_URL: fake.baseUrl,
  // The shared limiter paces the worker to what the provider allows; tokens are not what this fake limits.
  AI_RATE_LIMIT_RPM: String(RPM),
  AI_RATE_LIMIT_TPM: '100000000',
});
registerClassificationJobHandlers(services);
const server = serve({ fetch: createGateway(services), port: 0, hostname: '127.0.0.1' });
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/functions/v1/classification`;
const worker = await startJobWorker(services, { databaseUrl, schedules: false });

const userId = await createUser(databaseUrl);
const headers = {
  Authorization: `Bearer ${await signToken({ sub: userId })}`,
  'Content-Type': 'application/json',
};
const documents = Array.from({ length: DOCS }, (_, i) => ({
  key: `doc-${i}`,
  text: `Message ${i}: ${i % 3 ? 'the export keeps timing out since the update' : 'what would the price be for 40 seats'}.`,
}));

console.log(`bench:batch: ${DOCS} documents, fake OpenAI at ${LATENCY_MS} ms and ${RPM} requests/min`);
const started = performance.now();
const submitted = await fetch(`${api}/batch`, {
  method: 'POST',
  headers,
  body: JSON.stringify({ documents, categories: CATEGORIES, stages: [{ type: 'llm' }] }),
});
const accepted = (await submitted.json()) as { id: string };
if (submitted.status !== 202)
  throw new Error(`submit answered ${submitted.status}: ${JSON.stringify(accepted)}`);
const acceptedMs = performance.now() - started;

type Report = { status: string; counts: { total: number; done: number; failed: number }; summary: unknown };
let report: Report | undefined;
let lastPrint = 0;
for (;;) {
  const response = await fetch(`${api}/batches/${accepted.id}?limit=1`, { headers });
  const body = await response.json();
  if (!response.ok) {
    console.log(`  status check answered ${response.status}: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    continue;
  }
  report = body as Report;
  if (['completed', 'completed_with_errors', 'failed'].includes(report.status)) break;
  if (performance.now() - lastPrint > 10_000) {
    lastPrint = performance.now();
    const { done, failed } = report.counts;
    console.log(`  ${Math.round((lastPrint - started) / 1000)} s: ${done} done, ${failed} failed`);
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
const seconds = (performance.now() - started) / 1000;
const ratio = seconds / boundSeconds;

console.log(`accepted in ${Math.round(acceptedMs)} ms (202); finished as ${report.status}`);
console.log(`items: ${report.counts.done} done, ${report.counts.failed} failed of ${report.counts.total}`);
console.log(`provider: ${fake.requests.length} requests, ${limit.refused()} answered 429`);
console.log(`summary: ${JSON.stringify(report.summary)}`);
console.log(
  `time ${seconds.toFixed(1)} s, bound ${boundSeconds.toFixed(1)} s, ratio ${ratio.toFixed(3)} (target <= ${TARGET_RATIO})`,
);

await worker.stop(1000);
await new Promise<void>((resolve) => server.close(() => resolve()));
await services.jobs.close();
await services.db.close();
await fake.stop();
await cluster.stop();

const ok = report.counts.done === DOCS && report.counts.failed === 0 && ratio <= TARGET_RATIO;
console.log(ok ? 'ok' : 'FAILED: the target is every item done, none failed, ratio <= 1.15');
process.exit(ok ? 0 : 1);
