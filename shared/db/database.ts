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
 * A dying server (SIGKILL, failover, restart) must never end the process. pg-pool listens for 'error' only on
 * idle clients and takes that listener off while a client is checked out; an 'error' nobody hears is an
 * uncaught exception. So every client gets a listener of its own for its whole life, and the pool's own
 * event is heard too. A broken client is not queryable any more, so its release destroys it and the pool
 * opens a fresh connection for the next request: reconnection needs nothing more.
 */
function handleConnectionErrors(pool: pg.Pool): pg.Pool {
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * The query failed because the connection or server went away, not because of what it asked: SQLSTATE class
 * 08 and 57P01-57P03 (shutdown, crash, starting up), or a socket-level failure with no SQLSTATE at all.
 */
export function lostConnection(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(code)) return true;
    if (/^E[A-Z]+$/.test(code)) return true; // ECONNRESET, ECONNREFUSED, EPIPE ...
    if (code.length === 5) return false;
  }
  return /Connection terminated|connection .*(closed|ended)|not queryable|ECONNRESET|EPIPE/i.test(
    error.message,
  );
}

/**
 * Runs `fn` in one transaction on a pooled connection as the pool's own role: committed when it returns,
 * rolled back when it throws. A connection that cannot be had is a DatabaseUnavailableError. `setup` (SQL
 * built from trusted or escaped values, no parameters) is sent in the same message as `begin`: one round trip.
 */
export async function inPoolTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  options: TransactionOptions & { setup?: (client: pg.PoolClient) => string } = {},
): Promise<T> {
  const client = await pool.connect().catch((error: unknown) => {
    throw new DatabaseUnavailableError(error);
  });
  try {
    const begin = options.readOnly ? 'begin read only' : 'begin';
    await client.query(options.setup ? `${begin}; ${options.setup(client)}` : begin);
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw lostConnection(error) ? new DatabaseUnavailableError(error) : error;
  } finally {
    client.release();
  }
}

/**
 * The statement that makes a transaction act as `role` with `claims`, as PostgREST does: transaction-local
 * settings, sent with `begin` in one simple-query message (so the claims are a quoted literal, not a parameter).
 */
function roleSetup(
  client: Pick<pg.Client, 'escapeLiteral'>,
  role: 'authenticated' | 'service_role',
  claims: Claims,
): string {
  return (
    `select set_config('search_path', '${SEARCH_PATH}', true), ` +
    `set_config('request.jwt.claims', ${client.escapeLiteral(JSON.stringify(claims))}, true), ` +
    `set_config('role', '${role}', true)`
  );
}

/** Opens a pool and wraps it in role-scoped transactions. */
export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 5,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
  });
  handleConnectionErrors(pool);

  async function inTransaction<T>(
    role: 'authenticated' | 'service_role',
    claims: Claims,
    fn: (tx: Queryable) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    return inPoolTransaction(pool, fn, { ...options, setup: (client) => roleSetup(client, role, claims) });
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
