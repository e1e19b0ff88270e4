import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_USER_EMAIL, DEMO_USER_ID, DEMO_USER_PASSWORD, signToken } from '../../local/keys.ts';
import { runSmoke } from '../../scripts/supabase-js-smoke.ts';
import { freePort } from '../support/ports.ts';

const root = new URL('../..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'ai-stack-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  output(): string;
}

async function startStack(port: number, dbPort: number): Promise<Running> {
  const started = Date.now();
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    LOCAL_DB_PORT: String(dbPort),
    LOCAL_DATA_DIR: dataDir,
    // The console on a free port too (its default, 54323, may be taken by a stack someone runs).
    CONSOLE_PORT: '0',
    // The Postgres-kill check polls faster than the per-user request limit allows.
    USER_RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  const child = spawn(join(root, 'node_modules/.bin/node'), ['local/stack.ts'], {
    cwd: root,
    env,
    stdio: 'pipe',
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const token = await signToken({ role: 'anon' });
  while (Date.now() - started < 150_000) {
    const response = await fetch(`http://127.0.0.1:${port}/functions/v1/classification/health`, {
      headers: { Authorization: `Bearer ${token}` },
    }).catch(() => undefined);
    if (response?.status === 200) return { child, output: () => output };
    if (child.exitCode !== null) throw new Error(`local stack exited:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGINT');
  throw new Error(`local stack not healthy after 150 s:\n${output}`);
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });
}

// The postmaster of the stack's embedded Postgres: the first line of postmaster.pid in its data directory.
function postmasterPid(): number {
  return Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

interface Answer {
  at: number;
  status: number;
  code?: string;
  retryAfter: string | null;
}

// SIGKILL of the postmaster while requests run: the stack stays up and answers 503 `unavailable` with
// Retry-After, restarts its Postgres, and serves 200 again without a restart of its own.
async function survivesPostgresKill(port: number, stack: Running, token: string) {
  const answers: Answer[] = [];
  let running = true;
  const ask = async () => {
    while (running) {
      const response = await fetch(`http://127.0.0.1:${port}/functions/v1/bots/settings`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const body = (await response.json()) as { error?: { code: string } };
      answers.push({
        at: Date.now(),
        status: response.status,
        code: body.error?.code,
        retryAfter: response.headers.get('retry-after'),
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const clients = [ask(), ask(), ask(), ask()];
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pid = postmasterPid();
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    // Back once a request is served again after the first 503.
    const servedAgain = () => {
      const down = answers.find((a) => a.at > killedAt && a.status === 503);
      return down && answers.find((a) => a.at > down.at && a.status === 200);
    };
    while (!servedAgain()) {
      expect(Date.now() - killedAt, stack.output().slice(-3000)).toBeLessThan(60_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.log(`postgres killed: 200 again ${servedAgain()!.at - killedAt} ms later`);
    expect(postmasterPid()).not.toBe(pid);
  } finally {
    running = false;
    await Promise.all(clients);
  }
  expect(stack.child.exitCode).toBeNull();
  const failures = answers.filter((a) => a.status !== 200);
  expect(failures.length).toBeGreaterThan(0);
  for (const failure of failures) {
    expect(failure).toMatchObject({ status: 503, code: 'unavailable', retryAfter: expect.any(String) });
  }
  expect(answers.at(-1)?.status).toBe(200);
  expect(stack.output()).toContain('embedded Postgres exited unexpectedly');
  expect(stack.output()).not.toMatch(/Unhandled|uncaught/i);
}

describe('npm start (the local stack on embedded Postgres)', () => {
  it('serves health, signs the demo user in, runs the supabase-js smoke script, outlives a SIGKILL of its Postgres (503, then 200 after the restart), stops cleanly on Ctrl-C, and a second start reuses the same data and signing key', async () => {
    const [port, dbPort] = [await freePort(), await freePort()];
    const first = await startStack(port, dbPort);
    const url = `postgresql://postgres:postgres@127.0.0.1:${dbPort}/postgres`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const anonKey = await signToken({ role: 'anon' });
    const supabase = createClient(`http://127.0.0.1:${port}`, anonKey, { auth: { persistSession: false } });
    const signIn = await supabase.auth.signInWithPassword({
      email: DEMO_USER_EMAIL,
      password: DEMO_USER_PASSWORD,
    });
    expect(signIn.error).toBeNull();
    expect(signIn.data.user?.id).toBe(DEMO_USER_ID);
    const firstToken = signIn.data.session?.access_token ?? '';
    // The journey of scripts/supabase-js-smoke.ts (`npm run smoke`), through supabase-js only.
    const smoke = await runSmoke(`http://127.0.0.1:${port}`, anonKey);
    expect(smoke.otherUserSees).toEqual({ documents: 0, results: 0 });
    // Counted after the smoke script signed its users up: the second start must neither lose nor re-seed any.
    const seeded = await client.query('select count(*)::int as n from auth.users');
    await client.query(`create table public.stack_marker (note text)`);
    await client.query(`insert into public.stack_marker values ('kept')`);
    await client.end();
    await survivesPostgresKill(port, first, firstToken);
    expect(await stop(first.child)).toBe(0);

    const second = await startStack(port, dbPort);
    // The signing key is kept with the data: a session from the first start is still valid.
    const me = await fetch(`http://127.0.0.1:${port}/functions/v1/ai/me`, {
      headers: { Authorization: `Bearer ${firstToken}` },
    });
    expect(me.status).toBe(200);
    const again = new pg.Client({ connectionString: url });
    await again.connect();
    const marker = await again.query('select note from public.stack_marker');
    const users = await again.query('select count(*)::int as n from auth.users');
    await again.end();
    expect(await stop(second.child)).toBe(0);
    expect(marker.rows).toEqual([{ note: 'kept' }]);
    expect(users.rows[0].n).toBe(seeded.rows[0].n);
  }, 400_000);
});
