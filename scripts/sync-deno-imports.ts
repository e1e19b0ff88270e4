// Writes each Edge Function's deno.json import map from package.json, so Node and Deno resolve the same versions.
// `node scripts/sync-deno-imports.ts --check` exits 1 when a deno.json is out of step (run by the tests).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Packages the functions import by bare name, with the subpath prefixes they use. */
export const DENO_PACKAGES: Record<string, { subpaths: boolean }> = {
  hono: { subpaths: true },
  '@hono/zod-openapi': { subpaths: false },
  zod: { subpaths: false },
  pg: { subpaths: false },
  jose: { subpaths: false },
  'json-logic-engine': { subpaths: false },
  openai: { subpaths: true },
  '@pydantic/genai-prices': { subpaths: false },
  // Subpaths: the job runner settles with pg-boss's own statements from pg-boss/dist/plans.js.
  'pg-boss': { subpaths: true },
  // The offline provider imports compromise's smaller `compromise/two` entry.
  compromise: { subpaths: true },
  // User regex keywords run on RE2; webhook targets are classified by ipaddr.js.
  re2js: { subpaths: false },
  'ipaddr.js': { subpaths: false },
  // PII detection validates IBANs with ibantools.
  ibantools: { subpaths: false },
};

const root = new URL('..', import.meta.url).pathname;

/** The import map every function's deno.json must hold. */
export function expectedImportMap(): { imports: Record<string, string> } {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const versions: Record<string, string> = { ...pkg.dependencies, ...pkg.devDependencies };
  const imports: Record<string, string> = {};
  for (const [name, { subpaths }] of Object.entries(DENO_PACKAGES)) {
    const version = versions[name];
    if (!version) throw new Error(`${name} is not in package.json`);
    imports[name] = `npm:${name}@${version}`;
    if (subpaths) imports[`${name}/`] = `npm:/${name}@${version}/`;
  }
  return { imports };
}

/** Names of the functions under supabase/functions. */
export function functionNames(): string[] {
  return readdirSync(join(root, 'supabase/functions'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
    .map((entry) => entry.name)
    .sort();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  const expected = `${JSON.stringify(expectedImportMap(), null, 2)}\n`;
  let stale = 0;
  for (const name of functionNames()) {
    const file = join(root, 'supabase/functions', name, 'deno.json');
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {}
    if (current === expected) continue;
    stale++;
    if (check) console.error(`${file} is out of step with package.json (run: npm run sync:deno)`);
    else writeFileSync(file, expected);
  }
  if (check && stale) process.exit(1);
}
