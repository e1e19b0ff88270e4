// One data layer for user-owned definitions with versions: classification profiles (classification_workflows)
// and document workflows (document_workflows). Both tables have id, user_id, name (unique per user),
// description, jsonb body columns, version, is_active and timestamps, and the same rules: version 1 on insert,
// an update is a new version of an active definition (compare-and-set), deactivation is one-way. User calls run
// under RLS, so no query here filters by user.
import type { Queryable } from './database.ts';

/** A stored definition: the common columns and the table's body columns (`B`). */
export type StoredDefinition<B> = {
  id: string;
  userId: string;
  name: string;
  description: string | null;
  version: number;
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
} & B;

/** What a definition is saved with: its name, description and body. */
type DefinitionFields<B> = { name: string; description?: string | null } & B;

interface CommonRow {
  id: string;
  user_id: string;
  name: string;
  description: string | null;
  version: number;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
  total?: string;
}

export interface DefinitionStore<B, T> {
  /** Stores a new definition (version 1) for the signed-in user. */
  insert(tx: Queryable, fields: DefinitionFields<B>): Promise<T>;
  /** One definition the caller can see, or undefined. */
  find(tx: Queryable, id: string): Promise<T | undefined>;
  /** The caller's definitions, newest first, with the total count. */
  list(
    tx: Queryable,
    options: { limit: number; offset: number; includeInactive: boolean },
  ): Promise<{ items: T[]; total: number }>;
  /**
   * Saves new fields as the next version of an active definition: a compare-and-set on `is_active`, and on the
   * version when `expectedVersion` is given, so two editors cannot silently overwrite each other. Undefined
   * when nothing matched.
   */
  update(
    tx: Queryable,
    id: string,
    fields: DefinitionFields<B>,
    expectedVersion: number | undefined,
  ): Promise<T | undefined>;
  /** Deactivates an active definition (compare-and-set); undefined when it was not active. */
  deactivate(tx: Queryable, id: string): Promise<T | undefined>;
}

/**
 * The store of one definition table. `body` names its jsonb columns (as in the table and in `B`); `view` turns
 * the stored definition into the domain's type (by default the stored definition itself).
 */
export function definitionStore<B extends Record<string, unknown>, T = StoredDefinition<B>>(spec: {
  table: 'classification_workflows' | 'document_workflows';
  body: readonly (keyof B & string)[];
  view?: (stored: StoredDefinition<B>) => T;
}): DefinitionStore<B, T> {
  const { table, body } = spec;
  const view = spec.view ?? ((stored: StoredDefinition<B>) => stored as unknown as T);
  const columns = `id, user_id, name, description, ${body.join(', ')}, version, is_active, created_at, updated_at`;
  const toView = (row: CommonRow & Record<string, unknown>): T =>
    view({
      id: row.id,
      userId: row.user_id,
      name: row.name,
      description: row.description,
      ...(Object.fromEntries(body.map((column) => [column, row[column]])) as B),
      version: row.version,
      isActive: row.is_active,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    });
  const bodyValues = (fields: DefinitionFields<B>) => body.map((column) => JSON.stringify(fields[column]));
  // $n::jsonb for each body column, numbered after the `offset` parameters before them.
  const bodyParams = (offset: number) => body.map((_, i) => `$${offset + i + 1}::jsonb`);
  type Row = CommonRow & Record<string, unknown>;

  return {
    async insert(tx, fields) {
      const { rows } = await tx.query<Row>(
        `insert into ${table} (user_id, name, description, ${body.join(', ')})
         values (auth.uid(), $1, $2, ${bodyParams(2).join(', ')}) returning ${columns}`,
        [fields.name, fields.description ?? null, ...bodyValues(fields)],
      );
      return toView(rows[0]!);
    },

    async find(tx, id) {
      const { rows } = await tx.query<Row>(`select ${columns} from ${table} where id = $1`, [id]);
      return rows[0] ? toView(rows[0]) : undefined;
    },

    async list(tx, options) {
      const { rows } = await tx.query<Row>(
        `select ${columns}, count(*) over () as total from ${table}
          where ($3 or is_active)
          order by created_at desc, id
          limit $1 offset $2`,
        [options.limit, options.offset, options.includeInactive],
      );
      return { items: rows.map(toView), total: rows[0] ? Number(rows[0].total) : 0 };
    },

    async update(tx, id, fields, expectedVersion) {
      const versionParam = `$${body.length + 4}`;
      const { rows } = await tx.query<Row>(
        `update ${table}
            set name = $2, description = $3, ${body.map((column, i) => `${column} = ${bodyParams(3)[i]}`).join(', ')},
                version = version + 1
          where id = $1 and is_active and (${versionParam}::int is null or version = ${versionParam})
          returning ${columns}`,
        [id, fields.name, fields.description ?? null, ...bodyValues(fields), expectedVersion ?? null],
      );
      return rows[0] ? toView(rows[0]) : undefined;
    },

    async deactivate(tx, id) {
      const { rows } = await tx.query<Row>(
        `update ${table} set is_active = false where id = $1 and is_active returning ${columns}`,
        [id],
      );
      return rows[0] ? toView(rows[0]) : undefined;
    },
  };
}
