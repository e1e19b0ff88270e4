import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../shared/db/database.ts';
import { createTestDatabase, createUser, type TestDatabase } from '../support/db.ts';

let database: TestDatabase;
let db: Database;
/** Every message a pooled client sent, in order: what the request path costs in round trips. */
const sent: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase(database.url, { max: 2 });
  db.pool.on('connect', (client: pg.PoolClient) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      sent.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text));
      return query(...args);
    };
  });
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

describe('a role-scoped transaction', () => {
  it('sends begin with its role, claims and search path in one message, then the work, then commit', async () => {
    const user = await createUser(database.url);
    sent.length = 0;
    const seen = await db.asUser({ role: 'authenticated', sub: user }, async (tx) => {
      const { rows } = await tx.query<{ role: string; uid: string; path: string; read_only: string }>(
        `select current_user as role, auth.uid() as uid, current_setting('search_path') as path,
                current_setting('transaction_read_only') as read_only`,
      );
      return rows[0]!;
    });
    expect(seen).toEqual({ role: 'authenticated', uid: user, path: 'public, extensions', read_only: 'off' });
    expect(sent).toHaveLength(3);
    expect(sent[0]).toMatch(/^begin; select set_config\('search_path'/);
    expect(sent[2]).toBe('commit');
  });

  it('carries claims with quotes, backslashes and semicolons through intact', async () => {
    const sub = await createUser(database.url);
    const claims = {
      role: 'authenticated' as const,
      sub,
      user_metadata: { name: "O'Brien\\'; drop table public.documents; --", note: 'a\\nb "q" $$ $x$' },
    };
    const echoed = await db.asUser(claims, async (tx) => {
      const { rows } = await tx.query<{ claims: unknown }>(
        `select current_setting('request.jwt.claims')::jsonb as claims`,
      );
      return rows[0]!.claims;
    });
    expect(echoed).toEqual(claims);
    const { rows } = await db.pool.query(`select to_regclass('public.documents') as t`);
    expect(rows[0].t).toBe('documents');
  });

  it('is read only when asked, rolls back on a throw, and leaves no setting behind on the connection', async () => {
    const sub = await createUser(database.url);
    await expect(
      db.asUser({ role: 'authenticated', sub }, (tx) => tx.query(`create temp table t (x int)`), {
        readOnly: true,
      }),
    ).rejects.toThrow(/read-only/);
    await expect(
      db.asService(async (tx) => {
        await tx.query(`insert into public.user_ai_settings (user_id) values ($1)`, [sub]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const after = await db.pool.query(
      `select current_user as role, current_setting('request.jwt.claims', true) as claims,
              (select count(*)::int from public.user_ai_settings where user_id = $1) as rows`,
      [sub],
    );
    expect(after.rows[0]).toMatchObject({ role: 'postgres', rows: 0 });
    expect(after.rows[0].claims ?? '').toBe('');
  });
});
