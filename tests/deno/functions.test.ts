import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_JWT_SECRET, signToken } from '../../local/keys.ts';
import { functionNames } from '../../scripts/sync-deno-imports.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { freePort } from '../support/ports.ts';

const root = new URL('../..', import.meta.url).pathname;
const deno = join(root, 'node_modules/.bin/deno');
const run = promisify(execFile);

describe('the Edge Functions under Deno', () => {
  it.each(functionNames())(
    'type-checks supabase/functions/%s/index.ts with deno check',
    async (name) => {
      const dir = join(root, 'supabase/functions', name);
      const { stderr } = await run(
        deno,
        ['check', '--config', join(dir, 'deno.json'), join(dir, 'index.ts')],
        {
          cwd: dir,
          timeout: 120_000,
        },
      );
      // A failed check exits non-zero (run rejects); the diagnostics look like "TS2345 [ERROR]" and "error: ...".
      // Plain /error/ would match Deno's first-run download lines (the npm package serialize-error).
      expect(stderr).not.toMatch(/\[ERROR\]|^error:|\bTS\d{4}\b/m);
    },
    130_000,
  );

  describe('a function served by Deno', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(() => database.drop());

    it('answers 200 from its health endpoint', async () => {
      const port = await freePort();
      const dir = join(root, 'supabase/functions/classification');
      const child = spawn(
        deno,
        [
          'run',
          '--allow-net',
          '--allow-env',
          '--allow-read',
          '--allow-sys',
          '--config',
          join(dir, 'deno.json'),
          'index.ts',
        ],
        {
          cwd: dir,
          env: {
            ...process.env,
            DATABASE_URL: database.url,
            JWT_SECRET: LOCAL_JWT_SECRET,
            DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}`,
          },
          stdio: 'ignore',
        },
      );
      try {
        const token = await signToken({ role: 'anon' });
        let response: Response | undefined;
        for (let attempt = 0; attempt < 200 && !response; attempt++) {
          response = await fetch(`http://127.0.0.1:${port}/classification/health`, {
            headers: { Authorization: `Bearer ${token}` },
          }).catch(async () => {
            await new Promise((resolve) => setTimeout(resolve, 250));
            return undefined;
          });
        }
        expect(response?.status).toBe(200);
        expect(await response?.json()).toMatchObject({
          status: 'ok',
          function: 'classification',
          database: { ok: true },
        });
      } finally {
        child.kill('SIGTERM');
      }
    }, 90_000);
  });
});
