import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supabaseCli } from '../../local/migrate.ts';
import { generateTypes } from '../../local/types.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { checkRollbacks } from '../support/rollbacks.ts';
import { hasCommand, skipWithout } from '../support/tools.ts';

const root = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe('the migrated schema', () => {
  it('matches the committed database types (run `npm run gen:types` after changing a migration)', async () => {
    const committed = readFileSync(join(root, 'shared/db/database.types.ts'), 'utf8');
    expect(await generateTypes(database.url)).toBe(committed);
  }, 120_000);

  it('passes Supabase security and performance advisors at warning level', async () => {
    const output = await supabaseCli(['db', 'advisors', `--remote=${database.url}`, '--fail-on', 'warn']);
    expect(output).not.toMatch(/\bWARN\b|\bERROR\b/);
  }, 120_000);

  it.skipIf(skipWithout(hasCommand('pg_prove')))(
    'passes every pgTAP test under supabase/tests/database (the RLS matrix), run with pg_prove',
    async () => {
      const files = readdirSync(join(root, 'supabase/tests/database'))
        .filter((file) => file.endsWith('.test.sql'))
        .map((file) => join(root, 'supabase/tests/database', file));
      expect(files.length).toBeGreaterThan(0);
      const url = new URL(database.url);
      const { stdout } = await run(
        'pg_prove',
        ['-h', url.hostname, '-p', url.port, '-U', url.username, '-d', url.pathname.slice(1), ...files],
        { timeout: 120_000 },
      ).catch((error: { stdout?: string; stderr?: string }) => {
        throw new Error(`pg_prove failed:\n${error.stdout}\n${error.stderr}`);
      });
      expect(stdout).toMatch(/Result: PASS/);
    },
    150_000,
  );

  it('rolls every migration back to the schema before it, and applies again to an identical schema', async () => {
    const empty = await createTestDatabase('template1');
    try {
      const lines: string[] = [];
      await checkRollbacks(empty.url, { log: (line) => lines.push(line) });
      expect(lines.join('\n')).toMatch(/schema identical/);
    } finally {
      await empty.drop();
    }
  }, 180_000);
});
