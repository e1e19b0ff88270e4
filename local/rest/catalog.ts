import type pg from 'pg';

interface Column {
  name: string;
  /** The column's type as Postgres prints it (`format_type`), used only in casts the stand-in writes itself. */
  type: string;
  generated: boolean;
}

export interface Table {
  name: string;
  columns: Map<string, Column>;
  primaryKey: string[];
  insertable: boolean;
}

/** A foreign key between two tables of `public`: `from.columns` reference `to.columns`. */
interface ForeignKey {
  name: string;
  from: string;
  fromColumns: string[];
  to: string;
  toColumns: string[];
}

interface FunctionArg {
  name: string;
  type: string;
}

export interface PgFunction {
  name: string;
  args: FunctionArg[];
  /** How many trailing arguments have defaults. */
  defaults: number;
  returnsSet: boolean;
  /** `c` composite (a row), `p` pseudo (void, record), otherwise a scalar. */
  returnKind: string;
  returnType: string;
}

/** PostgREST's schema cache, for schema `public`: the only names a request may use. */
export interface Catalog {
  tables: Map<string, Table>;
  foreignKeys: ForeignKey[];
  functions: Map<string, PgFunction[]>;
}

const TABLES = `
  select c.relname as table, c.relkind in ('r', 'p', 'v', 'f') as insertable, a.attname as column,
         format_type(a.atttypid, a.atttypmod) as type, a.attgenerated <> '' as generated,
         coalesce(a.attnum = any (i.indkey::int2[]), false) as primary
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  left join pg_index i on i.indrelid = c.oid and i.indisprimary
  where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f')
  order by c.relname, a.attnum`;

const FOREIGN_KEYS = `
  select k.conname as name, f.relname as from, t.relname as to,
         array(select a.attname from unnest(k.conkey) with ordinality u(n, i)
               join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.i)::text[] as from_columns,
         array(select a.attname from unnest(k.confkey) with ordinality u(n, i)
               join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n order by u.i)::text[] as to_columns
  from pg_constraint k
  join pg_class f on f.oid = k.conrelid join pg_namespace fn on fn.oid = f.relnamespace
  join pg_class t on t.oid = k.confrelid join pg_namespace tn on tn.oid = t.relnamespace
  where k.contype = 'f' and fn.nspname = 'public' and tn.nspname = 'public'`;

const FUNCTIONS = `
  select p.proname as name, p.pronargdefaults as defaults, p.proretset as returns_set, t.typtype as return_kind,
         format_type(p.prorettype, null) as return_type,
         coalesce(p.proargnames, '{}')::text[] as names, coalesce(p.proargmodes::text[], '{}') as modes,
         array(select format_type(u.x, null) from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]))
               with ordinality u(x, i) order by u.i)::text[] as types
  from pg_proc p
  join pg_namespace n on n.oid = p.pronamespace
  join pg_type t on t.oid = p.prorettype
  where n.nspname = 'public' and p.prokind = 'f'
    and format_type(p.prorettype, null) not in ('trigger', 'event_trigger')`;

/** Reads the schema cache from the catalog. */
async function loadCatalog(db: pg.Pool): Promise<Catalog> {
  const [tables, keys, functions] = await Promise.all([
    db.query(TABLES),
    db.query(FOREIGN_KEYS),
    db.query(FUNCTIONS),
  ]);
  const catalog: Catalog = { tables: new Map(), foreignKeys: [], functions: new Map() };
  for (const row of tables.rows) {
    let table = catalog.tables.get(row.table);
    if (!table) {
      table = { name: row.table, columns: new Map(), primaryKey: [], insertable: row.insertable };
      catalog.tables.set(row.table, table);
    }
    table.columns.set(row.column, { name: row.column, type: row.type, generated: row.generated });
    if (row.primary) table.primaryKey.push(row.column);
  }
  for (const row of keys.rows) {
    catalog.foreignKeys.push({
      name: row.name,
      from: row.from,
      fromColumns: row.from_columns,
      to: row.to,
      toColumns: row.to_columns,
    });
  }
  for (const row of functions.rows) {
    const modes: string[] = row.modes;
    const args = (row.types as string[])
      .map((type, index) => ({ type, name: (row.names as string[])[index] ?? '', mode: modes[index] ?? 'i' }))
      .filter((arg) => arg.mode === 'i' || arg.mode === 'b' || arg.mode === 'v')
      .map(({ name, type }) => ({ name, type }));
    const fn: PgFunction = {
      name: row.name,
      args,
      defaults: row.defaults,
      returnsSet: row.returns_set,
      returnKind: row.return_kind,
      returnType: row.return_type,
    };
    catalog.functions.set(row.name, [...(catalog.functions.get(row.name) ?? []), fn]);
  }
  return catalog;
}

/** The schema cache, reloaded when a request names something it does not hold (a table made since). */
export function createSchemaCache(db: pg.Pool) {
  let current: Promise<Catalog> | undefined;
  return {
    get(): Promise<Catalog> {
      current ??= loadCatalog(db).catch((error) => {
        current = undefined;
        throw error;
      });
      return current;
    },
    reload(): Promise<Catalog> {
      current = undefined;
      return this.get();
    },
  };
}
