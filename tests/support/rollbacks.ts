// Proves every migration under supabase/migrations has a rollback under supabase/rollbacks that undoes exactly it.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { applyStandIn } from '../../local/migrate.ts';

const root = new URL('../..', import.meta.url).pathname;
const migrationsDir = join(root, 'supabase/migrations');
const rollbacksDir = join(root, 'supabase/rollbacks');

// Everything a migration can create in public, one line per object or property, sorted. Two schemas with the
// same lines are the same for the application: tables, columns, constraints, indexes, RLS and its policies,
// triggers, functions, views, sequences, types, grants, comments and Realtime publication membership.
const FINGERPRINT = `
with rel as (
  select c.oid, c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity, c.relacl, c.reloptions
  from pg_class c
  where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
)
select line from (
  select format('relation %s kind=%s rls=%s force_rls=%s options=%s', relname, relkind, relrowsecurity,
                relforcerowsecurity, reloptions) as line from rel
  union all
  select format('grant %s on %s to %s', a.privilege_type, r.relname, a.grantee::regrole)
  from rel r, aclexplode(r.relacl) a
  union all
  select format('column %s.%s %s not_null=%s default=%s identity=%s generated=%s collation=%s acl=%s',
                r.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, a.attcollation, a.attacl)
  from rel r
  join pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  union all
  select format('constraint %s.%s %s', r.relname, k.conname, pg_get_constraintdef(k.oid))
  from rel r join pg_constraint k on k.conrelid = r.oid
  union all
  select format('index %s', pg_get_indexdef(i.indexrelid))
  from rel r join pg_index i on i.indrelid = r.oid
  union all
  select format('policy %s.%s %s %s to %s using (%s) check (%s)', p.tablename, p.policyname, p.permissive, p.cmd,
                p.roles, p.qual, p.with_check)
  from pg_policies p where p.schemaname = 'public'
  union all
  select format('trigger %s', pg_get_triggerdef(t.oid))
  from rel r join pg_trigger t on t.tgrelid = r.oid and not t.tgisinternal
  union all
  select format('view %s %s', r.relname, pg_get_viewdef(r.oid)) from rel r where r.relkind in ('v', 'm')
  union all
  select format('function %s %s acl=%s', p.oid::regprocedure, pg_get_functiondef(p.oid), p.proacl)
  from pg_proc p where p.pronamespace = 'public'::regnamespace and p.prokind in ('f', 'p')
  union all
  select format('type %s kind=%s', t.typname, t.typtype)
  from pg_type t
  where t.typnamespace = 'public'::regnamespace and t.typtype in ('e', 'd', 'c', 'r')
    and not exists (select from pg_class c where c.reltype = t.oid)
  union all
  select format('comment %s: %s', coalesce(r.relname || '.' || a.attname, r.relname), d.description)
  from rel r
  join pg_description d on d.objoid = r.oid and d.classoid = 'pg_class'::regclass
  left join pg_attribute a on a.attrelid = r.oid and a.attnum = d.objsubid and d.objsubid > 0
  union all
  select format('comment function %s: %s', p.oid::regprocedure, d.description)
  from pg_proc p join pg_description d on d.objoid = p.oid and d.classoid = 'pg_proc'::regclass
  where p.pronamespace = 'public'::regnamespace
  union all
  select format('publication %s %s', pt.pubname, pt.tablename)
  from pg_publication_tables pt where pt.schemaname = 'public'
) lines
order by line collate "C"
`;

/** The catalog lines that describe the project's objects in schema public (empty on an empty database). */
async function schemaFingerprint(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ line: string }>(FINGERPRINT);
  return rows.map((row) => row.line);
}

/** The migration file names in order, each with its rollback's SQL; throws when a rollback is missing. */
async function readMigrations(): Promise<{ name: string; up: string; down: string }[]> {
  const names = (await readdir(migrationsDir)).filter((name) => name.endsWith('.sql')).sort();
  const rollbacks = new Set(await readdir(rollbacksDir));
  const missing = names.filter((name) => !rollbacks.has(name));
  if (missing.length > 0) throw new Error(`no rollback in supabase/rollbacks for: ${missing.join(', ')}`);
  return Promise.all(
    names.map(async (name) => ({
      name,
      up: await readFile(join(migrationsDir, name), 'utf8'),
      down: await readFile(join(rollbacksDir, name), 'utf8'),
    })),
  );
}

function difference(expected: string[], actual: string[]): string {
  const want = new Set(expected);
  const have = new Set(actual);
  const lines = [
    ...expected.filter((line) => !have.has(line)).map((line) => `  missing: ${line}`),
    ...actual.filter((line) => !want.has(line)).map((line) => `  extra:   ${line}`),
  ];
  return lines.slice(0, 20).join('\n') + (lines.length > 20 ? `\n  ... and ${lines.length - 20} more` : '');
}

function sameLines(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

async function runInTransaction(client: pg.Client, label: string, sql: string): Promise<void> {
  await client.query('begin');
  try {
    await client.query(sql);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw new Error(`${label} failed: ${(error as Error).message}`);
  }
}

/**
 * On an empty database (the local stand-in is applied when missing): applies every migration in order, then runs
 * every rollback in reverse order checking that each one brings schema public back exactly to its state before
 * that migration (so, at the end, to empty), then applies every migration again and checks the schema is
 * identical to the first time. Leaves the database migrated. Throws, naming the migration and the differing
 * catalog lines, on the first mismatch.
 */
export async function checkRollbacks(
  databaseUrl: string,
  options: { log?: (line: string) => void } = {},
): Promise<void> {
  const log = options.log ?? (() => {});
  const migrations = await readMigrations();
  await applyStandIn(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const empty = await schemaFingerprint(client);
    if (empty.length > 0) {
      throw new Error(`schema public is not empty, refusing to run:\n${difference([], empty)}`);
    }

    // before[i] is the schema before migration i; before[migrations.length] the fully migrated one.
    const before: string[][] = [empty];
    for (const migration of migrations) {
      await runInTransaction(client, `migration ${migration.name}`, migration.up);
      before.push(await schemaFingerprint(client));
      log(`applied     ${migration.name}`);
    }
    const migrated = before[migrations.length]!;

    for (let i = migrations.length - 1; i >= 0; i--) {
      const migration = migrations[i]!;
      await runInTransaction(client, `rollback ${migration.name}`, migration.down);
      const after = await schemaFingerprint(client);
      if (!sameLines(after, before[i]!)) {
        throw new Error(
          `rollback ${migration.name} does not restore the schema as it was before the migration:\n` +
            difference(before[i]!, after),
        );
      }
      log(`rolled back ${migration.name}`);
    }

    for (const migration of migrations) {
      await runInTransaction(client, `migration ${migration.name} (second time)`, migration.up);
    }
    const again = await schemaFingerprint(client);
    if (!sameLines(again, migrated)) {
      throw new Error(
        `migrating again after the rollbacks gives a different schema:\n${difference(migrated, again)}`,
      );
    }
    log(`re-applied ${migrations.length} migrations: schema identical (${migrated.length} catalog lines)`);
  } finally {
    await client.end();
  }
}
