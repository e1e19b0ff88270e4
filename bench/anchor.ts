// The anchor of `npm run bench:api`'s list endpoint: the least a server can do for GET /workflows/executions — a
// bare Hono + pg + jose server that verifies the token and runs the same select in one RLS transaction (begin,
// role and claims, the select, commit), with no limiter, no logging and no schemas. Same database, same run.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { jwtVerify } from 'jose';
import pg from 'pg';
import { EXECUTION_COLUMNS } from '../shared/workflows/execution-store.ts';

export async function startAnchor(databaseUrl: string, jwtSecret: string, connections: number) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: connections });
  const key = new TextEncoder().encode(jwtSecret);
  const app = new Hono();
  app.get('/workflows/executions', async (c) => {
    const token = c.req.header('authorization')?.replace(/^Bearer /, '') ?? '';
    let claims: Record<string, unknown>;
    try {
      claims = (await jwtVerify(token, key)).payload;
    } catch {
      return c.json({ error: 'unauthorized' }, 401);
    }
    const limit = Math.min(100, Number(c.req.query('limit') ?? 20));
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(
        `select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`,
        [JSON.stringify(claims)],
      );
      const { rows } = await client.query(
        `select ${EXECUTION_COLUMNS}, count(*) over () as total from public.workflow_executions
         order by created_at desc, id limit $1`,
        [limit],
      );
      await client.query('commit');
      return c.json({ items: rows, total: rows[0] ? Number(rows[0].total) : 0 });
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
