// `npm run gen:types`: regenerates shared/db/database.types.ts from the migrations with the real Supabase CLI.
// Uses DATABASE_URL when set (a database already migrated); otherwise a throwaway Postgres with every migration.
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { prepareDatabase } from '../local/migrate.ts';
import { generateTypes } from '../local/types.ts';
import { startTestCluster } from '../tests/support/cluster.ts';

const target = new URL('../shared/db/database.types.ts', import.meta.url);

let url = process.env.DATABASE_URL;
const cluster = url ? undefined : await startTestCluster('postgres');
try {
  if (cluster) {
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    await admin.query('create database types');
    await admin.end();
    url = cluster.adminUrl.replace(/\/postgres$/, '/types');
    await prepareDatabase(url);
  }
  writeFileSync(target, await generateTypes(url!));
  console.log(`wrote ${target.pathname}`);
} finally {
  await cluster?.stop();
}
