// The client-side twin of the pgTAP RLS matrix (supabase/tests/database): every table of `public`, as the owner
// of a row, another user and anon, through supabase-js .from() against the REST stand-in. Each request is checked
// against the same statement run directly in Postgres the way PostgREST runs it (role, request.jwt.claims, one
// transaction, here rolled back), so the REST layer adds or loses nothing: grants and RLS decide.
import { readFileSync } from 'node:fs';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.ts';

const root = new URL('../..', import.meta.url).pathname;
const USERS = {
  owner: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
  other: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
} as const;
type Actor = 'anon' | keyof typeof USERS;
const ACTORS: Actor[] = ['anon', 'other', 'owner'];
const PASSWORD = 'matrix-password';

let stack: TestStack;
let db: pg.Client;
let tables: string[];
const clients = {} as Record<Actor, SupabaseClient>;

/** What a request or statement came to: the rows' owners, the number of rows touched, or an error code. */
type Outcome = { code: string } | { owners: string[] } | { rows: number };

async function direct(actor: Actor, sql: string, values: unknown[] = []): Promise<Outcome> {
  await db.query('begin');
  try {
    const claims =
      actor === 'anon'
        ? { role: 'anon' }
        : { role: 'authenticated', sub: USERS[actor], aud: 'authenticated' };
    await db.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [
      claims.role,
      JSON.stringify(claims),
    ]);
    const result = await db.query(sql, values);
    return result.command === 'SELECT'
      ? { owners: result.rows.map((row) => row.user_id).sort() }
      : { rows: result.rowCount ?? 0 };
  } catch (error) {
    return { code: (error as { code: string }).code };
  } finally {
    await db.query('rollback');
  }
}

function viaRest(
  answer: { error: { code: string } | null; data: unknown; count: number | null },
  kind: 'read' | 'write',
): Outcome {
  if (answer.error) return { code: answer.error.code };
  if (kind === 'read')
    return { owners: (answer.data as { user_id: string }[]).map((row) => row.user_id).sort() };
  return { rows: answer.count ?? -1 };
}

beforeAll(async () => {
  stack = await startTestStack();
  db = new pg.Client({ connectionString: stack.database.url });
  await db.connect();
  // The pgTAP fixture itself: one row per user in every table.
  const helpers = readFileSync(`${root}supabase/tests/database/rls_helpers.psql`, 'utf8');
  await db.query('begin');
  await db.query(helpers);
  await db.query('select pg_temp.given_one_row_per_user()');
  // The rows ai_alerts.test.sql and ai_metrics_rollup.test.sql add to the fixture.
  await db.query(
    `insert into public.ai_alerts (user_id, kind, subject, value, threshold, period_start)
     select u, 'daily_cost', 'all', 9, 4, date_trunc('day', now()) from unnest($1::uuid[]) u`,
    [Object.values(USERS)],
  );
  await db.query(
    `insert into public.ai_metrics_rollup (user_id, bucket_start, operation, provider, calls, errors, cached,
       tokens_in, tokens_out, cost_usd, latency_sum_ms, latency_count)
     select u, date_trunc('hour', now() - interval '1 day', 'UTC'), 'classify', 'local', 1, 0, 0, 0, 0, 0, 0, 0
     from unnest($1::uuid[]) u`,
    [Object.values(USERS)],
  );
  await db.query(
    `update auth.users set encrypted_password = extensions.crypt($1, extensions.gen_salt('bf', 4)), email_confirmed_at = now()`,
    [PASSWORD],
  );
  await db.query('commit');
  const { rows } = await db.query(
    `select c.relname from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
       and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'user_id')
     order by 1`,
  );
  tables = rows.map((row) => row.relname);
  for (const actor of ACTORS) {
    const client = createClient(stack.url, stack.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false },
    });
    if (actor !== 'anon') {
      const { error } = await client.auth.signInWithPassword({
        email: `${actor}@example.test`,
        password: PASSWORD,
      });
      if (error) throw error;
    }
    clients[actor] = client;
  }
});
afterAll(async () => {
  await db?.end();
  await stack?.stop();
});

/** The owner's fixture row of `table` without the columns the database fills in. */
async function ownerRow(table: string): Promise<Record<string, unknown>> {
  const { rows } = await db.query(
    `select to_jsonb(t) as row from public.${table} t where user_id = $1 limit 1`,
    [USERS.owner],
  );
  const { id: _id, created_at: _c, updated_at: _u, ...row } = rows[0].row;
  return row;
}

/** A column `authenticated` may update (else any non-key one), for an update that changes no value. */
async function updatableColumn(table: string): Promise<string> {
  const { rows } = await db.query(
    `select attname from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped
       and attname not in ('id', 'user_id') and attgenerated = ''
     order by has_column_privilege('authenticated', $1::regclass, attname, 'UPDATE') desc, attnum limit 1`,
    [`public.${table}`],
  );
  return rows[0].attname;
}

describe('every table through supabase-js .from(), as owner, other user and anon', () => {
  it('reads exactly what Postgres lets each role read: the owner their rows, the others none of them', async () => {
    expect(tables.length).toBeGreaterThanOrEqual(15);
    for (const table of tables) {
      for (const actor of ACTORS) {
        const rest = viaRest(await clients[actor].from(table).select('user_id'), 'read');
        expect({ table, actor, rest }).toEqual({
          table,
          actor,
          rest: await direct(actor, `select user_id from public.${table}`),
        });
        if (actor === 'anon') expect(rest).toEqual({ code: '42501' });
        if (actor === 'other') expect(rest).not.toEqual({ owners: expect.arrayContaining([USERS.owner]) });
        if (actor === 'owner') expect(rest).toEqual({ owners: expect.arrayContaining([USERS.owner]) });
        if (actor === 'owner' && 'owners' in rest)
          expect(new Set(rest.owners)).toEqual(new Set([USERS.owner]));
      }
    }
  });

  it('updates, inserts and deletes exactly as Postgres decides, and never the owner’s rows for someone else', async () => {
    for (const table of tables) {
      const row = await ownerRow(table);
      const columnName = await updatableColumn(table);
      const change = { [columnName]: row[columnName] ?? null };
      for (const actor of ACTORS) {
        const updateSql = `update public.${table} set ${columnName} = (jsonb_populate_record(null::public.${table}, $1)).${columnName} where user_id = $2`;
        const expectedUpdate = await direct(actor, updateSql, [JSON.stringify(change), USERS.owner]);
        const update = viaRest(
          await clients[actor].from(table).update(change, { count: 'exact' }).eq('user_id', USERS.owner),
          'write',
        );
        expect({ table, actor, op: 'update', update }).toEqual({
          table,
          actor,
          op: 'update',
          update: expectedUpdate,
        });

        const columns = Object.keys(row).join(', ');
        const insertSql = `insert into public.${table} (${columns}) select ${columns} from jsonb_populate_recordset(null::public.${table}, $1)`;
        const expectedInsert = await direct(actor, insertSql, [JSON.stringify([row])]);
        const insert = viaRest(await clients[actor].from(table).insert(row, { count: 'exact' }), 'write');
        expect({ table, actor, op: 'insert', insert }).toEqual({
          table,
          actor,
          op: 'insert',
          insert: expectedInsert,
        });

        if (actor !== 'owner') {
          for (const outcome of [update, insert])
            expect(outcome).not.toEqual({ rows: expect.any(Number) && 1 });
          expect(insert).toEqual({ code: '42501' });
        }
      }
    }
    for (const table of tables) {
      for (const actor of ACTORS) {
        const expected = await direct(actor, `delete from public.${table} where user_id = $1`, [USERS.owner]);
        const removed = viaRest(
          await clients[actor].from(table).delete({ count: 'exact' }).eq('user_id', USERS.owner),
          'write',
        );
        expect({ table, actor, op: 'delete', removed }).toEqual({
          table,
          actor,
          op: 'delete',
          removed: expected,
        });
        if (actor !== 'owner') expect(removed).not.toEqual({ rows: 1 });
      }
    }
  });
});
