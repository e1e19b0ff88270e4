import type { Queryable } from '../../shared/db/database.ts';
import type { Catalog, Table } from './catalog.ts';
import { bodyError, RestError, unsupported } from './errors.ts';
import type { Filter, OrderItem, Preferences, SelectItem } from './parse.ts';
import { identifier, splitTopLevel } from './parse.ts';
import { columnNotFound, jsonRows, orderClause, Params, quote, selectList, whereClause } from './sql.ts';

export interface ReadRequest {
  select: SelectItem[];
  filters: Filter[];
  order: OrderItem[];
  limit?: number;
  offset: number;
  count: boolean;
}

export interface Result {
  /** The rows as a JSON array text. */
  body: string;
  rows: number;
  total?: number;
}

async function one<R>(tx: Queryable, sql: string, values: unknown[]): Promise<R> {
  const { rows } = await tx.query(sql, values);
  return rows[0] as R;
}

/** GET: the rows RLS lets the role see, filtered, ordered and paged; the exact total when counted. */
export async function read(
  tx: Queryable,
  catalog: Catalog,
  table: Table,
  request: ReadRequest,
): Promise<Result> {
  const params = new Params();
  const where = whereClause(table, request.filters, params);
  const filterValues = [...params.values];
  const list = selectList(catalog, table, request.select);
  let sql = `select ${list} from public.${quote(table.name)} _t${where}${orderClause(table, request.order)}`;
  if (request.limit !== undefined) sql += ` limit ${params.add(request.limit)}`;
  if (request.offset > 0) sql += ` offset ${params.add(request.offset)}`;
  const result = await one<{ body: string; n: number }>(tx, jsonRows(sql), params.values);
  let total: number | undefined;
  if (request.count) {
    const counted = await one<{ n: number }>(
      tx,
      `select count(*)::int as n from public.${quote(table.name)} _t${where}`,
      filterValues,
    );
    total = counted.n;
  }
  return { body: result.body, rows: result.n, total };
}

/** The columns a write names: `columns=` when given, else the keys of the (first) object, as PostgREST. */
function payloadColumns(
  table: Table,
  rows: Record<string, unknown>[],
  columnsParam: string | undefined,
): string[] {
  let names: string[];
  if (columnsParam !== undefined) {
    names = splitTopLevel(columnsParam).map((name) => identifier(name, 'columns'));
  } else {
    names = Object.keys(rows[0] ?? {});
    const key = names.slice().sort().join(',');
    if (rows.some((row) => Object.keys(row).sort().join(',') !== key))
      throw bodyError('All object keys must match');
  }
  for (const name of names) {
    if (!table.columns.has(name)) {
      throw new RestError(
        400,
        'PGRST204',
        `Could not find the '${name}' column of '${table.name}' in the schema cache`,
      );
    }
  }
  return [...new Set(names)];
}

/** The rows of a JSON body: one object or an array of objects. */
export function bodyRows(body: unknown, allowArray: boolean): Record<string, unknown>[] {
  const isObject = (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value);
  if (isObject(body)) return [body as Record<string, unknown>];
  if (allowArray && Array.isArray(body) && body.every(isObject)) return body as Record<string, unknown>[];
  throw bodyError(
    allowArray
      ? 'Empty or invalid json: expected an object or an array of objects'
      : 'Empty or invalid json: expected an object',
  );
}

/**
 * Runs a write. With `return=representation` its rows come back in the shape `select=` asks for, returning only
 * the columns that needs; with `return=minimal` there is no RETURNING at all, so, as in PostgREST, a role may
 * insert rows it may not read back.
 */
async function runWrite(
  tx: Queryable,
  catalog: Catalog,
  table: Table,
  write: string,
  params: Params,
  output: { select: SelectItem[]; representation: boolean },
): Promise<Result> {
  if (!output.representation) {
    const { rowCount } = await tx.query(write, params.values);
    return { body: '[]', rows: rowCount ?? 0 };
  }
  const list = selectList(catalog, table, output.select);
  const needed = output.select.some((item) => item.kind === 'star')
    ? ['_t.*']
    : [...new Set(output.select.flatMap((item) => returnedColumns(catalog, table, item)))];
  const returning = needed.length > 0 ? needed.join(', ') : '1 as _none';
  const sql = `with _w as (${write} returning ${returning}) ${jsonRows(`select ${list} from _w _t`)}`;
  return one<{ body: string; n: number }>(tx, sql, params.values).then((row) => ({
    body: row.body,
    rows: row.n,
  }));
}

function returnedColumns(catalog: Catalog, table: Table, item: SelectItem): string[] {
  if (item.kind === 'column') return [`_t.${quote(item.column)}`];
  if (item.kind === 'count') {
    const key = catalog.foreignKeys.find((fk) => fk.from === item.relation && fk.to === table.name);
    return (key?.toColumns ?? []).map((name) => `_t.${quote(name)}`);
  }
  return [];
}

export interface InsertRequest {
  rows: Record<string, unknown>[];
  columns?: string;
  onConflict?: string;
  prefer: Preferences;
  select: SelectItem[];
}

const representation = (prefer: Preferences, select: SelectItem[]) => ({
  select,
  representation: prefer.return === 'representation',
});

/** POST: insert one or many rows, or upsert them (`Prefer: resolution=...`, `on_conflict=`). */
export async function insert(
  tx: Queryable,
  catalog: Catalog,
  table: Table,
  request: InsertRequest,
): Promise<Result> {
  if (!table.insertable) throw new RestError(405, 'PGRST117', `Cannot insert into '${table.name}'`);
  const names = payloadColumns(table, request.rows, request.columns);
  const params = new Params();
  const target = `public.${quote(table.name)}`;
  const list = names.map(quote).join(', ');
  let source: string;
  if (request.rows.length === 0 || names.length === 0) {
    if (request.rows.length > 0) source = `values ${request.rows.map(() => '(default)').join(', ')}`;
    else return { body: '[]', rows: 0 };
  } else if (request.prefer.missingDefault) {
    // Per row, a key the object lacks takes the column's default (supabase-js `defaultToNull: false`).
    const values = request.rows.map((row) => {
      const json = params.add(JSON.stringify(row));
      const cells = names.map((name) =>
        Object.hasOwn(row, name)
          ? `(jsonb_populate_record(null::${target}, ${json}::jsonb)).${quote(name)}`
          : 'default',
      );
      return `(${cells.join(', ')})`;
    });
    source = `values ${values.join(', ')}`;
  } else {
    // A key an object lacks is null, as PostgREST's json_populate_recordset makes it.
    source = `select ${list} from jsonb_populate_recordset(null::${target}, ${params.add(JSON.stringify(request.rows))}::jsonb)`;
  }
  let write = `insert into ${target} as _t ${names.length > 0 ? `(${list}) ` : ''}${source}`;
  if (request.prefer.resolution) {
    const conflict =
      request.onConflict !== undefined
        ? splitTopLevel(request.onConflict).map((name) => identifier(name, 'on_conflict'))
        : table.primaryKey;
    if (conflict.length === 0)
      throw unsupported(`Upsert into '${table.name}' without a primary key or on_conflict`);
    for (const name of conflict) if (!table.columns.has(name)) throw columnNotFound(table, name);
    const updates = names.filter((name) => !conflict.includes(name));
    write +=
      request.prefer.resolution === 'ignore-duplicates' || updates.length === 0
        ? ` on conflict (${conflict.map(quote).join(', ')}) do nothing`
        : ` on conflict (${conflict.map(quote).join(', ')}) do update set ${updates.map((name) => `${quote(name)} = excluded.${quote(name)}`).join(', ')}`;
  } else if (request.onConflict !== undefined) {
    throw new RestError(
      400,
      'PGRST100',
      'on_conflict needs Prefer: resolution=merge-duplicates or ignore-duplicates',
    );
  }
  return runWrite(tx, catalog, table, write, params, representation(request.prefer, request.select));
}

export interface UpdateRequest {
  row: Record<string, unknown>;
  columns?: string;
  filters: Filter[];
  select: SelectItem[];
  prefer: Preferences;
}

/** PATCH: update the rows the filters (and RLS) reach with the body's columns. */
export async function update(
  tx: Queryable,
  catalog: Catalog,
  table: Table,
  request: UpdateRequest,
): Promise<Result> {
  const names = payloadColumns(table, [request.row], request.columns);
  if (names.length === 0) return { body: '[]', rows: 0 };
  const params = new Params();
  const target = `public.${quote(table.name)}`;
  const json = params.add(JSON.stringify(request.row));
  const assignments = names
    .map((name) => `${quote(name)} = (jsonb_populate_record(null::${target}, ${json}::jsonb)).${quote(name)}`)
    .join(', ');
  const write = `update ${target} as _t set ${assignments}${whereClause(table, request.filters, params)}`;
  return runWrite(tx, catalog, table, write, params, representation(request.prefer, request.select));
}

/** DELETE: delete the rows the filters (and RLS) reach. */
export async function remove(
  tx: Queryable,
  catalog: Catalog,
  table: Table,
  request: { filters: Filter[]; select: SelectItem[]; prefer: Preferences },
): Promise<Result> {
  const params = new Params();
  const write = `delete from public.${quote(table.name)} as _t${whereClause(table, request.filters, params)}`;
  return runWrite(tx, catalog, table, write, params, representation(request.prefer, request.select));
}
