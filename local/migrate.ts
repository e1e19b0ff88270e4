import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';

const root = new URL('..', import.meta.url).pathname;

/** True when the database is Supabase's own (it already has what the stand-in creates). */
async function isSupabaseDatabase(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query(`select 1 from pg_roles where rolname = 'supabase_auth_admin'`);
  return rows.length > 0;
}

/** Applies local/standin.sql to a plain Postgres; skipped on Supabase's databases. */
export async function applyStandIn(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    if (await isSupabaseDatabase(client)) return false;
    await client.query(await readFile(join(root, 'local/standin.sql'), 'utf8'));
    return true;
  } finally {
    await client.end();
  }
}

/** Runs the real Supabase CLI with the project's supabase/ folder, failing with its output if it fails. */
export function supabaseCli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, 'node_modules/.bin/supabase'), [...args, '--workdir', root], {
      cwd: root,
      env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`supabase ${args[0]} ${args[1] ?? ''} failed (exit ${code}):\n${output}`));
    });
  });
}

/** Applies every pending migration with `supabase db push`, and the seed when asked. */
export async function pushMigrations(databaseUrl: string, options: { seed?: boolean } = {}): Promise<string> {
  const args = ['db', 'push', `--remote=${databaseUrl}`, '--yes', '--skip-vault'];
  if (options.seed) args.push('--include-seed');
  return supabaseCli(args);
}

/**
 * Prepares a database for the backend: stand-in (plain Postgres only), migrations, optional seed. Answers whether
 * the stand-in was applied (false on Supabase's own databases, whose Auth and REST are the real ones).
 */
export async function prepareDatabase(
  databaseUrl: string,
  options: { seed?: boolean } = {},
): Promise<{ standIn: boolean }> {
  const standIn = await applyStandIn(databaseUrl);
  await pushMigrations(databaseUrl, options);
  return { standIn };
}
