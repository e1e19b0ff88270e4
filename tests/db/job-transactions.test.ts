import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { UserClaims } from '../../shared/auth/claims.ts';
import { defineJob } from '../../shared/jobs/contract.ts';
import type { AppServices } from '../../shared/services.ts';
import { createTestDatabase, createUser, type TestDatabase } from '../support/db.ts';
import { closeServices, createTestQueue, createTestServices } from '../support/jobs.ts';

let database: TestDatabase;
let services: AppServices;
let admin: pg.Client;
let user: UserClaims;

const recordJob = defineJob('test.records', z.object({ recordId: z.string().uuid() }));

beforeAll(async () => {
  database = await createTestDatabase();
  services = createTestServices(database.url);
  await createTestQueue(services, 'test.records');
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  // A user-owned table under RLS, as every domain table is.
  await admin.query(`
    create table public.test_records (id uuid primary key, user_id uuid not null, note text not null);
    alter table public.test_records enable row level security;
    create policy insert_own on public.test_records for insert to authenticated
      with check ((select auth.uid()) = user_id);
    grant insert on public.test_records to authenticated;`);
  user = { role: 'authenticated', sub: await createUser(database.url) };
});
afterAll(async () => {
  await admin.end();
  await closeServices(services);
  await database.drop();
});

async function jobsFor(recordId: string) {
  const { rows } = await admin.query(
    `select id from pgboss.job where name = 'test.records' and data->>'recordId' = $1`,
    [recordId],
  );
  return rows;
}

describe('sending a job inside the caller’s transaction', () => {
  it('leaves no job behind when the transaction that wrote its record rolls back', async () => {
    const recordId = crypto.randomUUID();
    await expect(
      services.db.asUser(user, async (tx) => {
        await tx.query('insert into public.test_records (id, user_id, note) values ($1, $2, $3)', [
          recordId,
          user.sub,
          'draft',
        ]);
        await services.jobs.send(recordJob, { recordId }, { tx });
        throw new Error('the request failed after enqueueing');
      }),
    ).rejects.toThrow('the request failed after enqueueing');
    expect(await jobsFor(recordId)).toEqual([]);
    expect((await admin.query('select 1 from public.test_records where id = $1', [recordId])).rows).toEqual(
      [],
    );
  });

  it('leaves exactly one job when it commits, and the caller keeps its own role (RLS) after the send', async () => {
    const recordId = crypto.randomUUID();
    const { jobId, roleAfter } = await services.db.asUser(user, async (tx) => {
      await tx.query('insert into public.test_records (id, user_id, note) values ($1, $2, $3)', [
        recordId,
        user.sub,
        'final',
      ]);
      const jobId = await services.jobs.send(recordJob, { recordId }, { tx });
      const { rows } = await tx.query<{ role: string }>('select current_user as role');
      return { jobId, roleAfter: rows[0]?.role };
    });
    expect(roleAfter).toBe('authenticated');
    expect(await jobsFor(recordId)).toEqual([{ id: jobId }]);
  });

  it('still applies RLS to the rest of the transaction: a record for another user is refused', async () => {
    const recordId = crypto.randomUUID();
    await expect(
      services.db.asUser(user, async (tx) => {
        await services.jobs.send(recordJob, { recordId }, { tx });
        await tx.query('insert into public.test_records (id, user_id, note) values ($1, $2, $3)', [
          recordId,
          crypto.randomUUID(),
          'not mine',
        ]);
      }),
    ).rejects.toThrow(/row-level security/);
    expect(await jobsFor(recordId)).toEqual([]);
  });

  it('gives the authenticated role itself no access to pgboss', async () => {
    await expect(
      services.db.asUser(user, (tx) => tx.query('select count(*) from pgboss.job')),
    ).rejects.toThrow(/permission denied for schema pgboss/);
  });
});
