import type { Catalog, Table } from './catalog.ts';
import { RestError } from './errors.ts';
import type { Filter, OrderItem, SelectItem } from './parse.ts';

// SQL for the stand-in's requests. Every identifier comes from the catalog and is quoted; every value is a
// parameter. The target table is always aliased `_t`.

/** Quotes an identifier (the names come from the catalog; quoting keeps any character in them literal). */
export function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The parameter list of one statement. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** PostgREST's PGRST205 for a name that is not a table or view of `public`. */
export function tableNotFound(name: string): RestError {
  return new RestError(404, 'PGRST205', `Could not find the table 'public.${name}' in the schema cache`);
}

/** 42703, as Postgres words it, for a name that is not a column of the table. */
export function columnNotFound(table: Table, column: string): RestError {
  return new RestError(400, '42703', `column ${table.name}.${column} does not exist`);
}

function column(table: Table, name: string): string {
  if (!table.columns.has(name)) throw columnNotFound(table, name);
  return `_t.${quote(name)}`;
}

/** The one foreign key by which `relation` rows point at `table` rows (what `relation(count)` counts). */
function childKey(catalog: Catalog, table: Table, relation: string) {
  const keys = catalog.foreignKeys.filter((key) => key.from === relation && key.to === table.name);
  if (keys.length === 1) return keys[0];
  if (keys.length > 1) {
    throw new RestError(
      300,
      'PGRST201',
      `Could not embed because more than one relationship was found for '${table.name}' and '${relation}'`,
      keys.map((key) => key.name).join(', '),
    );
  }
  const parent = catalog.foreignKeys.some((key) => key.from === table.name && key.to === relation);
  throw new RestError(
    400,
    'PGRST200',
    `Could not find a relationship between '${table.name}' and '${relation}' in the schema cache`,
    parent ? 'The local REST stand-in counts only rows that reference this table (one-to-many).' : null,
  );
}

/** The select list: columns (aliased), `*`, and `rel(count)` as PostgREST answers it, `[{"count": n}]`. */
export function selectList(catalog: Catalog, table: Table, items: SelectItem[]): string {
  return items
    .map((item) => {
      if (item.kind === 'star') return '_t.*';
      if (item.kind === 'column')
        return `${column(table, item.column)} as ${quote(item.alias ?? item.column)}`;
      if (!catalog.tables.has(item.relation)) throw tableNotFound(item.relation);
      const key = childKey(catalog, table, item.relation);
      if (!key) throw tableNotFound(item.relation);
      const join = key.fromColumns
        .map((from, index) => `_e.${quote(from)} = _t.${quote(key.toColumns[index] as string)}`)
        .join(' and ');
      return `json_build_array(json_build_object('count', (select count(*) from public.${quote(item.relation)} _e where ${join}))) as ${quote(item.alias ?? item.relation)}`;
    })
    .join(', ');
}

function likePattern(value: string): string {
  return value.replaceAll('*', '%');
}

function condition(table: Table, filter: Extract<Filter, { kind: 'condition' }>, params: Params): string {
  const target = column(table, filter.column);
  const value = filter.value;
  let sql: string;
  switch (filter.op) {
    case 'eq':
      sql = `${target} = ${params.add(value)}`;
      break;
    case 'neq':
      sql = `${target} <> ${params.add(value)}`;
      break;
    case 'gt':
      sql = `${target} > ${params.add(value)}`;
      break;
    case 'gte':
      sql = `${target} >= ${params.add(value)}`;
      break;
    case 'lt':
      sql = `${target} < ${params.add(value)}`;
      break;
    case 'lte':
      sql = `${target} <= ${params.add(value)}`;
      break;
    case 'like':
      sql = `${target} like ${params.add(likePattern(value as string))}`;
      break;
    case 'ilike':
      sql = `${target} ilike ${params.add(likePattern(value as string))}`;
      break;
    case 'in':
      sql = `${target} = any (${params.add(value)})`;
      break;
    case 'is':
      sql = `${target} is ${{ null: 'null', true: 'true', false: 'false', unknown: 'unknown' }[(value as string).toLowerCase()]}`;
      break;
  }
  return filter.negate ? `not (${sql})` : sql;
}

/** A where clause of filters (all of them must hold, as PostgREST's query parameters). */
export function whereClause(table: Table, filters: Filter[], params: Params): string {
  const render = (filter: Filter): string => {
    if (filter.kind === 'condition') return condition(table, filter, params);
    const inner = filter.items.map(render).join(` ${filter.op} `) || (filter.op === 'and' ? 'true' : 'false');
    return filter.negate ? `not (${inner})` : `(${inner})`;
  };
  return filters.length === 0 ? '' : ` where ${filters.map(render).join(' and ')}`;
}

export function orderClause(table: Table, order: OrderItem[]): string {
  if (order.length === 0) return '';
  const items = order.map(
    (item) =>
      `${column(table, item.column)} ${item.descending ? 'desc' : 'asc'}${item.nulls ? ` nulls ${item.nulls}` : ''}`,
  );
  return ` order by ${items.join(', ')}`;
}

/** Wraps a row source in the JSON array PostgREST answers and the number of rows. */
export function jsonRows(inner: string): string {
  return `select coalesce(json_agg(_r), '[]'::json)::text as body, count(*)::int as n from (${inner}) _r`;
}
