// `npm run bench:api`: the functions in-process (the local stack's gateway) on a throwaway PostgreSQL 15 with every
// migration, under load from autocannon:
//   GET /workflows/executions?limit=20 (20 of the caller's 60 executions) against its anchor, a bare Hono + pg +
//   jose server doing the same select in one RLS transaction (bench/anchor.ts), same database, same run: ratio;
//   POST /classification/enhanced with the offline local provider (every stage of the default cascade runs);
//   GET /ai/metrics over 1,000,000 ai_processing_logs rows (half of them the caller's), read from the raw rows
//   (no rollup yet) and then through the hourly rollup, for the 24 h and 7 d windows and the operator view.
// Every request goes through authentication and the per-user rate limiter (its limit raised out of the way: one
// lease statement a minute). Then the log write (one at a time and from every connection at once) and the
// retention delete at that size. Options: DURATION=10 CONNECTIONS=20 ROWS=1000000 (ROWS=10000000 for the
// ten-million-row figures in the README), WARMUP=3 (seconds of unrecorded load on the anchor and the app before
// the measured rounds: JIT, pools and plan caches warm), ONLY=list,mixed,rest (a comma-separated subset: the
// list endpoint and its anchor; the mixed load below; the rest).
// The mixed load: GET /workflows/executions?limit=20 from 4 connections alone, then again while 2 connections
// send POST /classification/enhanced with a meeting-length text (about 20,000 characters, a fresh one each time
// so the result cache never answers): what the offline models' CPU work does to a cheap request's p99.
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import pg from 'pg';
import { createGateway } from '../local/gateway.ts';
import { LOCAL_JWT_SECRET, signToken } from '../local/keys.ts';
import { prepareDatabase } from '../local/migrate.ts';
import { createPgAiStore } from '../shared/ai/store.ts';
import { refreshAiMetricsRollup } from '../shared/ops/metrics.ts';
import { pruneAiLogs } from '../shared/ops/retention.ts';
import { closeServices, createServices } from '../shared/runtime.ts';
import { startTestCluster } from '../tests/support/cluster.ts';
import { startAnchor } from './anchor.ts';

const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 20);
const ROWS = Number(process.env.ROWS ?? 1_000_000);
const WARMUP = Number(process.env.WARMUP ?? 3);
const ONLY = new Set((process.env.ONLY ?? 'list,mixed,rest').split(','));

const cluster = await startTestCluster('postgres');
const admin = new pg.Client({ connectionString: cluster.adminUrl });
await admin.connect();
await admin.query('create database bench');
const url = cluster.adminUrl.replace(/\/postgres$/, '/bench');
const db = new pg.Client({ connectionString: url });
const env = {
  DATABASE_URL: url,
  JWT_SECRET: LOCAL_JWT_SECRET,
  LOG_LEVEL: 'error',
  AI_PROVIDER: 'local',
  DB_POOL_MAX: String(CONNECTIONS),
  USER_RATE_LIMIT_PER_MINUTE: '1000000000',
};
const services = createServices(env);
const server = serve({ fetch: createGateway(services), port: 0, hostname: '127.0.0.1' });
// For the mixed load's before: the same functions with the offline models inline on the event loop.
const inlineServices = createServices({ ...env, AI_LOCAL_THREADS: '0' });
const inlineServer = serve({ fetch: createGateway(inlineServices), port: 0, hostname: '127.0.0.1' });

const rows: { scenario: string; rps: number; p50: number; p99: number; errors: number }[] = [];
let listRatio = Number.NaN;

async function load(
  scenario: string,
  path: string,
  token: string,
  body?: unknown,
  base = functionsBase(),
  duration = DURATION,
) {
  const result = await autocannon({
    url: `${base}${path}`,
    method: body ? 'POST' : 'GET',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
    connections: CONNECTIONS,
    duration,
  });
  return record(scenario, result);
}

/** Keeps one autocannon result for the summary table and prints it (with `suffix`). */
function record(scenario: string, result: Awaited<ReturnType<typeof autocannon>>, suffix = '') {
  const errors = result.errors + result.timeouts + result.non2xx;
  const row = {
    scenario,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
  };
  rows.push(row);
  console.log(
    `${scenario}: ${row.rps} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms` +
      (errors ? `, ${errors} errors/non-2xx` : '') +
      suffix,
  );
  return row;
}

function ratioLine() {
  return `list endpoint / anchor: ${listRatio.toFixed(2)} (target >= 0.7, no non-2xx; load average ${loadAverage()})`;
}

function functionsBase(of = server) {
  return `http://127.0.0.1:${(of.address() as AddressInfo).port}/functions/v1`;
}

/** `n` requests one after another: for queries too slow to put under concurrent load. */
async function sequential(scenario: string, path: string, token: string, n = 5) {
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/functions/v1`;
  const times: number[] = [];
  let errors = 0;
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const response = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (!response.ok) errors++;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((sum, t) => sum + t, 0) / n;
  const row = {
    scenario,
    rps: Math.round(10_000 / mean) / 10,
    p50: Math.round(times[Math.floor(n / 2)]!),
    p99: Math.round(times[n - 1]!),
    errors,
  };
  rows.push(row);
  console.log(`${scenario}: ${row.rps} req/s, p50 ${row.p50} ms, max ${row.p99} ms`);
}

/** The list endpoint against its anchor, warm-up first, then two rounds each taking turns. */
async function listAgainstAnchor(token: string) {
  const anchor = await startAnchor(url, LOCAL_JWT_SECRET, CONNECTIONS);
  const listPath = '/workflows/executions?limit=20';
  const anchorRps: number[] = [];
  const appRps: number[] = [];
  try {
    if (WARMUP > 0) {
      await load('warm-up: anchor (not counted)', listPath, token, undefined, anchor.url, WARMUP);
      await load(
        `warm-up: GET ${listPath} (not counted)`,
        listPath,
        token,
        undefined,
        functionsBase(),
        WARMUP,
      );
      rows.splice(-2);
    }
    for (let round = 1; round <= 2; round++) {
      anchorRps.push(
        (await load(`anchor: bare Hono + pg + jose (round ${round})`, listPath, token, undefined, anchor.url))
          .rps,
      );
      appRps.push((await load(`GET ${listPath} (round ${round})`, listPath, token)).rps);
    }
  } finally {
    await anchor.stop();
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  listRatio = sum(appRps) / sum(anchorRps);
  console.log(ratioLine());
}

const CATEGORIES = [
  { name: 'billing', keywords: ['invoice', 'refund', 'payment'] },
  { name: 'support', keywords: ['bug', 'error', 'crash'] },
  { name: 'sales', keywords: ['pricing', 'demo', 'quote'] },
];

/** A meeting transcript of about `chars` characters: people, companies, places, dates, opinions. */
function meetingText(chars = 20_000) {
  const lines = [
    'Maria Gonzalez: Thanks everyone for joining, the Acme Corp renewal is due on March 14 and we are behind.',
    'David Chen: I spoke with their finance team in Chicago yesterday; they were frustrated about the invoice errors.',
    'Priya Patel: The refund for the duplicate payment went out on Monday, so that part should be resolved.',
    'Maria Gonzalez: Good. What did Globex say about the pricing proposal we sent to their Berlin office?',
    'Tom Becker: They liked the demo a lot, honestly it was the best call we had this quarter.',
    'David Chen: Their CTO still worries about the crash we saw in the export last week, and I understand why.',
    'Priya Patel: Engineering shipped a fix on Friday; I will send Sarah Kim at Initech the release notes today.',
    'Tom Becker: Can we get a quote ready for the Madrid team before the board meeting on April 2?',
    'Maria Gonzalez: Yes, let us aim for Thursday. Anything else before we wrap up? Great, thank you all.',
  ];
  let text = '';
  for (let i = 0; text.length < chars; i++) text += `${lines[i % lines.length]}\n`;
  return text;
}

/** p50 / p99 of a cheap request alone and beside concurrent offline enhanced classifications of meetings. */
async function mixedLoad(token: string, base: string, how: string) {
  const listUrl = `${base}/workflows/executions?limit=20`;
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const cheap = () => autocannon({ url: listUrl, headers, connections: 4, duration: DURATION });
  const report = (scenario: string, result: Awaited<ReturnType<typeof autocannon>>) =>
    record(scenario, result, ` (load average ${loadAverage()})`);
  const meeting = meetingText();
  let sent = 0;
  const enhanced = () =>
    autocannon({
      url: `${base}/classification/enhanced`,
      method: 'POST',
      headers,
      connections: 2,
      duration: DURATION,
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({ text: `Meeting ${++sent}.\n${meeting}`, categories: CATEGORIES }),
          }),
        },
      ],
    });
  // Warm the models (decoded on first use) and the JIT first.
  await fetch(`${base}/classification/enhanced`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ text: `Warm-up.\n${meeting}`, categories: CATEGORIES }),
  }).then((r) => r.arrayBuffer());
  report(`mixed (${how}): GET list, 4 connections, alone`, await cheap());
  const [beside, heavy] = await Promise.all([cheap(), enhanced()]);
  report(`mixed (${how}): GET list, 4 connections, beside 2 enhanced of ${meeting.length} chars`, beside);
  report(`mixed (${how}): POST /classification/enhanced, ${meeting.length} chars, 2 connections`, heavy);
}

/** The scenarios after the list endpoint: enhanced classification, metrics at size, log writes, retention. */
async function everythingElse(me: string, others: string[], token: string, serviceKey: string) {
  await load('POST /classification/enhanced (local provider)', '/classification/enhanced', token, {
    text: 'Hi team, the invoice for March was charged twice on our card. Please refund the duplicate payment.',
    categories: CATEGORIES,
  });

  console.log(`inserting ${ROWS} log rows over 7 days (half of them the caller's)…`);
  const started = performance.now();
  await db.query(
    `insert into public.ai_processing_logs
       (user_id, request_id, operation, provider, model, tokens_in, tokens_out, cost_usd, latency_ms, status, created_at)
     select case when i % 2 = 0 then $1::uuid else ($2::uuid[])[1 + (i % 200)] end,
            'bench-' || i,
            (array['classify', 'sentiment', 'entities', 'analyze', 'bot_configuration'])[1 + i % 5],
            case when i % 3 = 0 then 'openai' else 'local' end,
            case when i % 3 = 0 then 'gpt-4.1-mini' else 'offline-v1' end,
            200 + i % 800, 50 + i % 300, case when i % 3 = 0 then 0.0004 else 0 end,
            (20 + random() * random() * 4000)::integer,
            case when i % 50 = 0 then 'error' when i % 7 = 0 then 'cached' else 'success' end,
            now() - make_interval(secs => (i::double precision / $3) * 7 * 86400)
     from generate_series(1, $3) i`,
    [me, others, ROWS],
  );
  await db.query('vacuum analyze public.ai_processing_logs');
  console.log(`  ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // Without the rollup a 7-day window reads 500,000 rows per request: one request at a time is enough to see it.
  await sequential(
    'GET /ai/metrics?window=24h, raw rows only (1 at a time)',
    '/ai/metrics?window=24h',
    token,
  );
  await sequential('GET /ai/metrics?window=7d, raw rows only (1 at a time)', '/ai/metrics?window=7d', token);

  const refreshStarted = performance.now();
  const refresh = await refreshAiMetricsRollup(services.db, { from: new Date(Date.now() - 8 * 86_400_000) });
  console.log(
    `rollup rebuilt from scratch: ${refresh.groups} groups in ${((performance.now() - refreshStarted) / 1000).toFixed(1)} s`,
  );
  const tickStarted = performance.now();
  await refreshAiMetricsRollup(services.db);
  console.log(`a monitor tick's refresh (last 2 hours): ${(performance.now() - tickStarted).toFixed(0)} ms`);

  for (const window of ['1h', '24h', '7d']) {
    await sequential(
      `GET /ai/metrics?window=${window}, rollup (1 at a time)`,
      `/ai/metrics?window=${window}`,
      token,
    );
  }
  for (const window of ['1h', '24h', '7d']) {
    await load(`GET /ai/metrics?window=${window}, rollup`, `/ai/metrics?window=${window}`, token);
  }
  // The operator view sums every user's rollup rows (about 35,000 hours-by-group for 7 days here).
  await sequential(
    'GET /ai/metrics?window=7d, operator view (1 at a time)',
    '/ai/metrics?window=7d',
    serviceKey,
  );

  // A log write at this size: the insert the AI service makes after each call, through its own store (service
  // role transaction), one at a time and then from every connection at once.
  const store = createPgAiStore(services.db);
  const entry = {
    userId: me,
    requestId: null,
    operation: 'classify',
    provider: 'local',
    model: 'offline-v1',
    tokensIn: 0,
    tokensOut: 0,
    costUsd: 0,
    latencyMs: 12,
    status: 'success' as const,
    errorCode: null,
    errorMessage: null,
  };
  const writes = 500;
  const writeStarted = performance.now();
  for (let i = 0; i < writes; i++) await store.log(entry);
  console.log(
    `log write at ${ROWS} rows, one at a time: ${((performance.now() - writeStarted) / writes).toFixed(2)} ms each`,
  );
  const perWorker = 500;
  const parallelStarted = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      for (let i = 0; i < perWorker; i++) await store.log(entry);
    }),
  );
  const parallelSeconds = (performance.now() - parallelStarted) / 1000;
  console.log(
    `log writes at ${ROWS} rows, ${CONNECTIONS} at once: ${Math.round((CONNECTIONS * perWorker) / parallelSeconds)} rows/s`,
  );

  // Retention at this size: the oldest day of the seven goes, in the cleanup run's 10,000-row batches.
  const pruneStarted = performance.now();
  const pruned = await pruneAiLogs(services.db, { retentionDays: 6, budgetMs: 600_000 });
  const pruneSeconds = (performance.now() - pruneStarted) / 1000;
  console.log(
    `retention: ${pruned.logs} rows older than 6 days deleted in ${pruneSeconds.toFixed(1)} s ` +
      `(${Math.round(pruned.logs / pruneSeconds)} rows/s, complete: ${pruned.complete})`,
  );
}

function loadAverage() {
  return os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
}

function printSummary() {
  console.log(`\n${CONNECTIONS} connections, ${DURATION} s each\n`);
  console.table(
    rows.map((r) => ({
      scenario: r.scenario,
      'req/s': r.rps,
      'p50 ms': r.p50,
      'p99 ms': r.p99,
      'errors/non-2xx': r.errors,
    })),
  );
  console.log(ratioLine());
}

try {
  console.log('migrating a fresh database…');
  await prepareDatabase(url);
  await db.connect();
  for (const s of [server, inlineServer]) {
    if (!s.listening) await new Promise<void>((resolve) => s.once('listening', () => resolve()));
  }
  const { rows: users } = await db.query<{ id: string }>(
    `insert into auth.users (id, email, aud, role)
     select gen_random_uuid(), 'bench' || i || '@example.test', 'authenticated', 'authenticated'
     from generate_series(1, 201) i returning id`,
  );
  const me = users[0]!.id;
  const token = await signToken({ role: 'authenticated', sub: me });
  const serviceKey = await signToken({ role: 'service_role' });

  // The list endpoint against its anchor (bench/anchor.ts): one user, 60 executions, a page of 20, the app and
  // the bare Hono + pg + jose server taking turns twice so neither gets the quieter half of the run.
  await db.query(
    `with doc as (
       insert into public.documents (user_id, title, content) values ($1, 'bench', 'bench') returning id
     ), wf as (
       insert into public.document_workflows (user_id, name, steps)
       values ($1, 'bench', '[{"id": "s1", "type": "classify"}]') returning id
     )
     insert into public.workflow_executions (user_id, workflow_id, workflow_version, definition, document_id, status)
     select $1, wf.id, 1, '{"steps": []}', doc.id, 'completed' from doc, wf, generate_series(1, 60)`,
    [me],
  );
  if (ONLY.has('list')) await listAgainstAnchor(token);
  if (ONLY.has('mixed')) {
    await mixedLoad(token, functionsBase(inlineServer), 'models inline');
    await mixedLoad(token, functionsBase(), 'models on worker threads');
  }
  if (ONLY.has('rest'))
    await everythingElse(
      me,
      users.slice(1).map((u) => u.id),
      token,
      serviceKey,
    );

  printSummary();
} finally {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => inlineServer.close(() => resolve()));
  await closeServices(services);
  await closeServices(inlineServices);
  await db.end().catch(() => {});
  await admin.end();
  await cluster.stop();
}
