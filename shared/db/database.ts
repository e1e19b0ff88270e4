// @ts-types="npm:@types/pg@8.23.1"
import pg from 'pg';
import type { Claims, UserClaims } from '../auth/claims.ts';

/** Anything that runs a parameterised query: a pool, a client, or a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

export interface TransactionOptions {
  readOnly?: boolean;
}

/** The database as the rest of the code sees it: every query runs inside a role-scoped transaction. */
export interface Database {
  /** Runs `fn` in a transaction as role `authenticated` with the verified claims, as PostgREST does: RLS decides. */
  asUser<T>(claims: UserClaims, fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs `fn` as `service_role`, which bypasses RLS. Only for work no user initiates directly
   * (workers, cron, logging, webhooks from third parties); callers say why in a comment.
   */
  asService<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  ping(): Promise<void>;
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

const SEARCH_PATH = 'public, extensions';

/**
 * No connection could be had: the pool stayed full past its wait, or the server refused or dropped the
 * connection. Transient by nature, so the API answers 503 with Retry-After rather than 500.
 */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

export interface DatabaseOptions {
  /** Connections in the pool (DB_POOL_MAX). */
  max?: number;
  /** How long a request waits for a free connection before it is refused (DB_POOL_TIMEOUT_MS). */
  connectionTimeoutMs?: number;
}

/**
 * Runs `fn` in one transaction on a pooled connection as the pool's own role: committed when it returns,
 * rolled back when it throws. A connection that cannot be had is a DatabaseUnavailableError.
 */
export async function inPoolTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect().catch((error: unknown) => {
    throw new DatabaseUnavailableError(error);
  });
  try {
    await client.query(options.readOnly ? 'begin read only' : 'begin');
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Opens a pool and wraps it in role-scoped transactions. */
export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 5,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});

  async function inTransaction<T>(
    role: 'authenticated' | 'service_role',
    claims: Claims,
    fn: (tx: Queryable) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    return inPoolTransaction(
      pool,
      async (client) => {
        await client.query(
          `select set_config('search_path', $1, true), set_config('request.jwt.claims', $2, true), set_config('role', $3, true)`,
          [SEARCH_PATH, JSON.stringify(claims), role],
        );
        return fn(client);
      },
      options,
    );
  }

  return {
    pool,
    asUser: (claims, fn, options) => inTransaction('authenticated', claims, fn, options),
    asService: (fn, options) => inTransaction('service_role', { role: 'service_role' }, fn, options),
    async ping() {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}
