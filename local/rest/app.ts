import { type Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import type pg from 'pg';
import type { Claims } from '../../shared/auth/claims.ts';
import type { TokenVerifier } from '../../shared/auth/verifier.ts';
import { inPoolTransaction, type Queryable } from '../../shared/db/database.ts';
import { requireApiKey } from '../api-key.ts';
import { type Catalog, createSchemaCache, type Table } from './catalog.ts';
import { bodyError, fromPostgres, RestError, unsupported } from './errors.ts';
import { bodyRows, insert, type Result, read, remove, update } from './operations.ts';
import { type Filter, parseFilter, parseLogic, parseOrder, parsePrefer, parseSelect } from './parse.ts';
import { callFunction } from './rpc.ts';
import { tableNotFound } from './sql.ts';

export interface RestAppOptions {
  pool: pg.Pool;
  /** Verifies the bearer token (and the `apikey`) as the project verifies tokens: JWKS or the legacy secret. */
  verifier: TokenVerifier;
  /** config.toml `[api] max_rows`: the most rows one response holds. */
  maxRows: number;
}

type RestEnv = { Variables: { claims: Claims } };
type RestContext = Context<RestEnv>;

const MAX_BODY_BYTES = 8 * 1024 * 1024;
const RESERVED = new Set([
  'select',
  'order',
  'limit',
  'offset',
  'columns',
  'on_conflict',
  'or',
  'and',
  'not.or',
  'not.and',
]);
const SINGLE = 'application/vnd.pgrst.object+json';

function nonNegativeInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value))
    throw new RestError(400, 'PGRST100', `"${name}" must be a non-negative integer`);
  return Number(value);
}

/** The horizontal filters of a query string: every non-reserved key, plus `or`/`and` trees. */
function filtersOf(url: URL): Filter[] {
  const filters: Filter[] = [];
  for (const [key, value] of url.searchParams) {
    if (key === 'or' || key === 'and') filters.push(parseLogic(key, false, value));
    else if (key === 'not.or' || key === 'not.and')
      filters.push(parseLogic(key.slice(4) as 'or' | 'and', true, value));
    else if (!RESERVED.has(key)) filters.push(parseFilter(key, value));
  }
  return filters;
}

/** Offset and limit from `offset`/`limit` and a `Range: from-to` header, capped at max_rows. */
function pageOf(c: Context, maxRows: number): { offset: number; limit: number } {
  let offset = nonNegativeInteger(c.req.query('offset'), 'offset') ?? 0;
  let limit = nonNegativeInteger(c.req.query('limit'), 'limit');
  const range = c.req.header('Range');
  if (range !== undefined && ['GET', 'HEAD'].includes(c.req.method)) {
    const match = range.match(/^(?:items=)?(\d{1,9})-(\d{1,9})?$/);
    if (!match)
      throw new RestError(
        416,
        'PGRST103',
        'Requested range not satisfiable',
        `Malformed Range header: ${range}`,
      );
    const from = Number(match[1]);
    const to = match[2] === undefined ? undefined : Number(match[2]);
    if (to !== undefined && to < from)
      throw new RestError(416, 'PGRST103', 'Requested range not satisfiable');
    offset += from;
    if (to !== undefined) limit = Math.min(limit ?? Number.MAX_SAFE_INTEGER, to - from + 1);
  }
  return { offset, limit: Math.min(limit ?? maxRows, maxRows) };
}

async function jsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw new RestError(413, 'PGRST102', 'Request body too large');
  try {
    return JSON.parse(text);
  } catch {
    throw bodyError('Empty or invalid json');
  }
}

/** The answer for rows: an array, or one object under `Accept: application/vnd.pgrst.object+json`. */
function rowsResponse(c: Context, result: Result, status: number, offset = 0): Response {
  const single = (c.req.header('Accept') ?? '').startsWith(SINGLE);
  const total = result.total === undefined ? '*' : String(result.total);
  const range = result.rows === 0 ? `*/${total}` : `${offset}-${offset + result.rows - 1}/${total}`;
  const headers: Record<string, string> = { 'Content-Range': range };
  if (c.req.method === 'HEAD') return new Response(null, { status, headers });
  if (single) {
    headers['Content-Type'] = `${SINGLE}; charset=utf-8`;
    const rows = JSON.parse(result.body) as unknown[];
    return new Response(JSON.stringify(rows[0]), { status, headers });
  }
  headers['Content-Type'] = 'application/json; charset=utf-8';
  return new Response(result.body, { status, headers });
}

/**
 * The REST stand-in at /rest/v1: a documented subset of PostgREST for schema `public`, run as PostgREST runs
 * it: the role and claims of the verified token, one transaction per request (read-only for GET), RLS decides.
 */
export function createRestApp(options: RestAppOptions): Hono<RestEnv> {
  const schema = createSchemaCache(options.pool);
  const app = new Hono<RestEnv>().basePath('/rest/v1');
  app.use(
    '*',
    cors({ origin: '*', exposeHeaders: ['Content-Range', 'Content-Location', 'Preference-Applied'] }),
  );

  app.onError((error) => {
    if (error instanceof RestError) return error.toResponse();
    console.error('[rest stand-in]', error instanceof Error ? error.message : error);
    return new RestError(500, 'PGRST000', 'Unexpected failure in the local REST stand-in').toResponse();
  });

  app.use('*', requireApiKey(options.verifier));
  app.use('*', async function authenticateRequest(c, next) {
    if (c.req.method === 'OPTIONS') return next();
    const key = c.req.header('apikey') ?? c.req.query('apikey') ?? '';
    const bearer = c.req.header('Authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? key;
    const claims = await options.verifier.verify(bearer).catch((error: Error) => {
      const expired = /expired/.test(error.message);
      throw new RestError(
        401,
        expired ? 'PGRST303' : 'PGRST301',
        expired ? 'JWT expired' : `JWT invalid: ${error.message}`,
      );
    });
    for (const header of ['Accept-Profile', 'Content-Profile']) {
      const profile = c.req.header(header);
      if (profile !== undefined && profile !== 'public') {
        throw new RestError(
          406,
          'PGRST106',
          'The schema must be one of the following: public',
          `Asked for schema ${profile}`,
        );
      }
    }
    const accept = c.req.header('Accept') ?? '';
    if (/text\/csv|geo\+json|pgrst\.plan|nulls=stripped/.test(accept)) throw unsupported(`Accept: ${accept}`);
    c.set('claims', claims);
    await next();
  });

  /** Runs `fn` in the request's transaction, as PostgREST: role, claims and request settings transaction-local. */
  async function asRequest<T>(
    c: RestContext,
    fn: (tx: Queryable, catalog: Catalog) => Promise<T>,
  ): Promise<T> {
    const claims = c.get('claims');
    const catalog = await schema.get();
    const readOnly = c.req.method === 'GET' || c.req.method === 'HEAD';
    const headers = Object.fromEntries(
      [...c.req.raw.headers].map(([name, value]) => [name.toLowerCase(), value]),
    );
    try {
      return await inPoolTransaction(
        options.pool,
        async (tx) => {
          await tx.query(
            `select set_config('search_path', 'public, extensions', true), set_config('role', $1, true),
                    set_config('request.jwt.claims', $2, true), set_config('request.method', $3, true),
                    set_config('request.path', $4, true), set_config('request.headers', $5, true)`,
            [
              claims.role,
              JSON.stringify(claims),
              c.req.method,
              c.req.path.replace(/^\/rest\/v1/, ''),
              JSON.stringify(headers),
            ],
          );
          return fn(tx, catalog);
        },
        { readOnly },
      );
    } catch (error) {
      if (error instanceof RestError) throw error;
      throw fromPostgres(error, claims.role);
    }
  }

  async function tableOf(name: string): Promise<Table> {
    const table = (await schema.get()).tables.get(name) ?? (await schema.reload()).tables.get(name);
    if (!table) throw tableNotFound(name);
    return table;
  }

  /** One object asked for (`.single()`): any other number of rows is PGRST116 and the write is rolled back. */
  function checkSingle(c: RestContext, result: Result): Result {
    if ((c.req.header('Accept') ?? '').startsWith(SINGLE) && result.rows !== 1) {
      throw new RestError(
        406,
        'PGRST116',
        'JSON object requested, multiple (or no) rows returned',
        `The result contains ${result.rows} rows`,
      );
    }
    return result;
  }

  app.get('/', () => {
    throw unsupported('The OpenAPI description at /rest/v1/');
  });

  app.on(['GET', 'HEAD', 'POST'], '/rpc/:fn', async (c) => {
    if (
      [...new URL(c.req.url).searchParams.keys()].some((key) => RESERVED.has(key)) &&
      c.req.method === 'POST'
    ) {
      throw unsupported('Filtering, ordering or selecting on rpc results');
    }
    const args =
      c.req.method === 'POST'
        ? await jsonBody(c.req.raw)
        : Object.fromEntries(new URL(c.req.url).searchParams);
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      throw bodyError('rpc arguments must be a JSON object of named arguments');
    }
    if (!(await schema.get()).functions.has(c.req.param('fn'))) await schema.reload();
    const result = await asRequest(c, (tx, catalog) =>
      callFunction(tx, catalog, c.req.param('fn'), args as Record<string, unknown>),
    );
    if (result.void) return new Response(null, { status: 204 });
    if (result.scalar) {
      return new Response(c.req.method === 'HEAD' ? null : result.body, {
        status: 200,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      });
    }
    return rowsResponse(c, checkSingle(c, result), 200);
  });

  app.on(['GET', 'HEAD'], '/:table', async (c) => {
    const table = await tableOf(c.req.param('table'));
    const prefer = parsePrefer(c.req.header('Prefer'), 'representation');
    const { offset, limit } = pageOf(c, options.maxRows);
    const request = {
      select: parseSelect(c.req.query('select')),
      filters: filtersOf(new URL(c.req.url)),
      order: parseOrder(c.req.query('order') ?? ''),
      limit,
      offset,
      count: prefer.count,
    };
    const result = await asRequest(c, (tx, catalog) =>
      read(tx, catalog, table, request).then((rows) => checkSingle(c, rows)),
    );
    if (result.total !== undefined && offset > 0 && offset >= result.total && result.total > 0) {
      throw new RestError(
        416,
        'PGRST103',
        'Requested range not satisfiable',
        `An offset of ${offset} was requested, but there are only ${result.total} rows.`,
      );
    }
    const partial = result.total !== undefined && offset + result.rows < result.total;
    return rowsResponse(c, result, partial ? 206 : 200, offset);
  });

  /** The answer of a write: the rows for `return=representation`, else no body. */
  function written(c: RestContext, result: Result, representation: boolean, status: number): Response {
    if (representation) return rowsResponse(c, result, status);
    return new Response(null, {
      status: status === 201 ? 201 : 204,
      headers: { 'Content-Range': `*/${result.rows}` },
    });
  }

  app.post('/:table', async (c) => {
    const table = await tableOf(c.req.param('table'));
    const prefer = parsePrefer(c.req.header('Prefer'), 'minimal');
    const filters = filtersOf(new URL(c.req.url));
    if (filters.length > 0) throw unsupported('Filters on POST');
    const request = {
      rows: bodyRows(await jsonBody(c.req.raw), true),
      columns: c.req.query('columns'),
      onConflict: c.req.query('on_conflict'),
      prefer,
      select: parseSelect(c.req.query('select')),
    };
    const result = await asRequest(c, (tx, catalog) =>
      insert(tx, catalog, table, request).then((rows) => checkSingle(c, rows)),
    );
    return written(c, result, prefer.return === 'representation', 201);
  });

  app.patch('/:table', async (c) => {
    const table = await tableOf(c.req.param('table'));
    const prefer = parsePrefer(c.req.header('Prefer'), 'minimal');
    const request = {
      row: bodyRows(await jsonBody(c.req.raw), false)[0] as Record<string, unknown>,
      columns: c.req.query('columns'),
      filters: filtersOf(new URL(c.req.url)),
      select: parseSelect(c.req.query('select')),
      prefer,
    };
    const result = await asRequest(c, (tx, catalog) =>
      update(tx, catalog, table, request).then((rows) => checkSingle(c, rows)),
    );
    return written(c, result, prefer.return === 'representation', 200);
  });

  app.delete('/:table', async (c) => {
    const table = await tableOf(c.req.param('table'));
    const prefer = parsePrefer(c.req.header('Prefer'), 'minimal');
    const request = {
      filters: filtersOf(new URL(c.req.url)),
      select: parseSelect(c.req.query('select')),
      prefer,
    };
    const result = await asRequest(c, (tx, catalog) =>
      remove(tx, catalog, table, request).then((rows) => checkSingle(c, rows)),
    );
    return written(c, result, prefer.return === 'representation', 200);
  });

  app.all('*', (c) => {
    throw unsupported(`${c.req.method} ${c.req.path}`);
  });

  return app;
}
