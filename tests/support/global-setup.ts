// Vitest global setup: one Postgres for the whole run, a template database carrying the stand-in and every
// migration (applied with the real Supabase CLI), from which each test file clones its own database.
import pg from 'pg';
import { ensureConsoleBuilt } from '../../local/console.ts';
import { prepareDatabase } from '../../local/migrate.ts';
import { startTestCluster, type TestCluster } from './cluster.ts';

export const TEMPLATE_DB = 'ai_template';
export const CRON_DB = 'ai_cron';

let cluster: TestCluster | undefined;

async function createDatabase(adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export default async function setup() {
  // Each project that needs the database runs this setup; the first one in the process does the work.
  if (process.env.TEST_TEMPLATE_DB) return;
  // The browser tests and the local-stack test serve console/dist: built once, before any of them runs.
  const building = ensureConsoleBuilt();
  let adminUrl = process.env.TEST_ADMIN_URL;
  if (!adminUrl) {
    cluster = await startTestCluster(CRON_DB);
    adminUrl = cluster.adminUrl;
    process.env.TEST_ADMIN_URL = adminUrl;
    process.env.TEST_PG_BIN = cluster.binDir;
    process.env.TEST_HAS_PG_CRON = String(cluster.hasPgCron);
  }
  await createDatabase(adminUrl, TEMPLATE_DB);
  await prepareDatabase(databaseUrl(adminUrl, TEMPLATE_DB));
  await createDatabase(adminUrl, CRON_DB);
  await prepareDatabase(databaseUrl(adminUrl, CRON_DB));
  process.env.TEST_TEMPLATE_DB = TEMPLATE_DB;
  process.env.TEST_CRON_DB = CRON_DB;
  await building;
  return async () => {
    await cluster?.stop();
  };
}
