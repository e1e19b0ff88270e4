// The local stack (`npm start`): an embedded Postgres (or DATABASE_URL), the stand-in, the migrations through the
// Supabase CLI, and every Edge Function at http://127.0.0.1:54321/functions/v1/<name>, the URLs Supabase uses.
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { startJobWorker } from '../shared/jobs/worker-runtime.ts';
import { closeServices, createServices } from '../shared/runtime.ts';
import { ensureConsoleBuilt, serveConsole } from './console.ts';
import { startLocalCron } from './cron.ts';
import { createGateway } from './gateway.ts';
import { DEMO_USER_EMAIL, DEMO_USER_PASSWORD, LOCAL_JWT_SECRET, signToken } from './keys.ts';
import { prepareDatabase } from './migrate.ts';
import { createLocalPlatform } from './platform.ts';
import { type EmbeddedDatabase, RESTART_DEADLINE_MS, startEmbeddedPostgres } from './postgres.ts';

const root = new URL('..', import.meta.url).pathname;
const port = Number(process.env.PORT ?? 54321);
const host = process.env.HOST ?? '127.0.0.1';

const started = performance.now();
// Until the stack is up, a lost database simply ends the process (nothing to stop cleanly yet).
let ready = false;
const dataDir = process.env.LOCAL_DATA_DIR ?? join(root, '.data');
let embedded: EmbeddedDatabase | undefined;
let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  embedded = await startEmbeddedPostgres(dataDir, Number(process.env.LOCAL_DB_PORT ?? 54322), {
    // The stack outlives its database: requests answer 503 meanwhile, and the pools and the worker
    // reconnect by themselves once it is back.
    onCrash: (code, signal) =>
      console.error(
        `embedded Postgres exited unexpectedly (${signal ?? `code ${code}`}); restarting it, requests answer 503 until it is back`,
      ),
    onRestarted: (ms) => console.error(`embedded Postgres restarted after ${ms} ms`),
    onGiveUp: (error) => {
      console.error(
        `embedded Postgres could not be restarted within ${RESTART_DEADLINE_MS / 1000} s (${String(error ?? 'no reason given')}); stopping the stack`,
      );
      if (ready) void shutdown('postgres lost', 1);
      else process.exit(1);
    },
  });
  databaseUrl = embedded.url;
}
const seed = embedded ? embedded.created : process.env.LOCAL_SEED === 'true';
let standIn = false;
try {
  ({ standIn } = await prepareDatabase(databaseUrl, { seed }));
} catch (error) {
  console.error(String(error instanceof Error ? error.message : error));
  await embedded?.stop();
  process.exit(1);
}

const url = `http://${host}:${port}`;
const jwtSecret = process.env.JWT_SECRET ?? LOCAL_JWT_SECRET;
// Without the in-process worker the stack runs as hosted Supabase does: requests that send jobs drain them in
// the background, drains hand over to the jobs function, and local/cron.ts plays Supabase Cron.
const hostedLike = process.env.LOCAL_WORKER === 'false';
const serviceRoleKey = await signToken({ role: 'service_role', secret: jwtSecret });
const env = {
  ...process.env,
  DATABASE_URL: databaseUrl,
  JWT_SECRET: jwtSecret,
  // The functions verify user tokens against the JWKS of the Auth stand-in, as hosted functions do.
  SUPABASE_URL: process.env.SUPABASE_URL ?? (standIn ? url : undefined),
  ...(hostedLike
    ? {
        JOB_DRAIN_ON_SEND: process.env.JOB_DRAIN_ON_SEND ?? 'true',
        JOB_DRAIN_URL: process.env.JOB_DRAIN_URL ?? `${url}/functions/v1/jobs`,
        SUPABASE_SERVICE_ROLE_KEY: process.env.SUPABASE_SERVICE_ROLE_KEY ?? serviceRoleKey,
      }
    : {}),
};
const services = createServices(env);
// Auth and REST stand-ins only over the stand-in database: a Supabase database comes with the real ones.
const platform = standIn ? await createLocalPlatform({ services, apiUrl: url, dataDir }) : {};
// The job worker in-process, started before serving so a healthy stack is a whole one; LOCAL_WORKER=false
// leaves jobs to background drains and the local cron (or `npm run worker`).
const worker = hostedLike ? undefined : await startJobWorker(services, { databaseUrl });
const server = serve({ fetch: createGateway(services, platform), port, hostname: host });
const cron = hostedLike
  ? await startLocalCron({ services, drainUrl: `${url}/functions/v1/jobs`, serviceRoleKey })
  : undefined;

const anonKey = await signToken({ role: 'anon', secret: env.JWT_SECRET });
// The console (console/), rebuilt only when its sources changed; LOCAL_CONSOLE=false leaves it out.
let consoleLine = 'off (LOCAL_CONSOLE=false)';
let webConsole: Awaited<ReturnType<typeof serveConsole>> | undefined;
if (process.env.LOCAL_CONSOLE !== 'false') {
  const buildStarted = performance.now();
  const built = await ensureConsoleBuilt();
  webConsole = await serveConsole({
    port: Number(process.env.CONSOLE_PORT ?? 54323),
    host,
    supabaseUrl: url,
    anonKey,
  });
  consoleLine = `${webConsole.url}${built ? `  (built in ${Math.round(performance.now() - buildStarted)} ms)` : ''}`;
}
console.log(
  [
    `Local stack ready in ${Math.round(performance.now() - started)} ms`,
    `  API URL:      ${url}  (functions at ${url}/functions/v1/<name>${platform.auth ? ', Auth at /auth/v1, REST at /rest/v1' : ''})`,
    `  Console:      ${consoleLine}`,
    `  Database:     ${embedded ? `embedded Postgres, data in ${embedded.dataDir}` : 'DATABASE_URL'}`,
    `  Job worker:   ${worker ? `running (schedules: ${worker.scheduleDriver})` : 'off (LOCAL_WORKER=false): jobs drain in the background of the requests that send them; local cron drains every 10 s'}`,
    `  anon key:     ${anonKey}`,
    ...(platform.auth
      ? [
          `  Sign in:      supabase.auth.signInWithPassword({ email: '${DEMO_USER_EMAIL}', password: '${DEMO_USER_PASSWORD}' })`,
        ]
      : []),
    '  User token:   npm run --silent token -- --sub <user uuid>   (the seeded demo user is the default)',
    '  Service key:  npm run --silent token -- --role service_role',
    `  Try:          curl -H "Authorization: Bearer $(npm run --silent token)" ${url}/functions/v1/ai/me`,
    'Press Ctrl-C to stop.',
  ].join('\n'),
);

ready = true;
let stopping = false;
async function shutdown(signal: string, exitCode = 0) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping`);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await webConsole?.close();
  await worker?.stop();
  await cron?.stop();
  await closeServices(services);
  await embedded?.stop();
  process.exit(exitCode);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
