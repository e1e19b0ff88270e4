// Data layer of classification_workflows. User calls run under RLS, so no query here filters by user.
import type { Queryable } from '../db/database.ts';
import type { ClassificationCategory, Stage } from './definition.ts';

/** A stored classification workflow. */
export interface ClassificationProfile {
  id: string;
  name: string;
  description: string | null;
  categories: ClassificationCategory[];
  stages: Stage[];
  isActive: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The definition fields a workflow is saved with. */
export interface ProfileFields {
  name: string;
  description: string | null;
  categories: ClassificationCategory[];
  stages: Stage[];
}

const COLUMNS = 'id, name, description, categories, stages, is_active, version, created_at, updated_at';

interface Row {
  id: string;
  name: string;
  description: string | null;
  categories: ClassificationCategory[];
  stages: Stage[];
  is_active: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const toProfile = (row: Row): ClassificationProfile => ({
  id: row.id,
  name: row.name,
  description: row.description,
  categories: row.categories,
  stages: row.stages,
  isActive: row.is_active,
  version: row.version,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** Stores a new workflow (version 1) for the signed-in user. */
export async function insertProfile(tx: Queryable, fields: ProfileFields): Promise<ClassificationProfile> {
  const { rows } = await tx.query<Row>(
    `insert into classification_workflows (user_id, name, description, categories, stages)
     values (auth.uid(), $1, $2, $3::jsonb, $4::jsonb) returning ${COLUMNS}`,
    [fields.name, fields.description, JSON.stringify(fields.categories), JSON.stringify(fields.stages)],
  );
  return toProfile(rows[0]!);
}

/** One workflow the caller can see, or undefined. */
export async function findProfile(tx: Queryable, id: string): Promise<ClassificationProfile | undefined> {
  const { rows } = await tx.query<Row>(`select ${COLUMNS} from classification_workflows where id = $1`, [id]);
  return rows[0] ? toProfile(rows[0]) : undefined;
}

/** The caller's workflows, newest first, with the total count. */
export async function listProfiles(
  tx: Queryable,
  options: { limit: number; offset: number; includeInactive: boolean },
): Promise<{ items: ClassificationProfile[]; total: number }> {
  const { rows } = await tx.query<Row & { total: string }>(
    `select ${COLUMNS}, count(*) over () as total from classification_workflows
      where ($3 or is_active)
      order by created_at desc, id
      limit $1 offset $2`,
    [options.limit, options.offset, options.includeInactive],
  );
  return { items: rows.map(toProfile), total: rows[0] ? Number(rows[0].total) : 0 };
}

/**
 * Saves new fields as the next version of an active workflow: a compare-and-set on `is_active`, and on the
 * version when `expectedVersion` is given. Undefined when nothing matched.
 */
export async function updateProfile(
  tx: Queryable,
  id: string,
  fields: ProfileFields,
  expectedVersion: number | undefined,
): Promise<ClassificationProfile | undefined> {
  const { rows } = await tx.query<Row>(
    `update classification_workflows
        set name = $2, description = $3, categories = $4::jsonb, stages = $5::jsonb, version = version + 1
      where id = $1 and is_active and ($6::int is null or version = $6)
      returning ${COLUMNS}`,
    [
      id,
      fields.name,
      fields.description,
      JSON.stringify(fields.categories),
      JSON.stringify(fields.stages),
      expectedVersion ?? null,
    ],
  );
  return rows[0] ? toProfile(rows[0]) : undefined;
}

/** Deactivates an active workflow (compare-and-set); undefined when it was not active. */
export async function deactivateProfile(
  tx: Queryable,
  id: string,
): Promise<ClassificationProfile | undefined> {
  const { rows } = await tx.query<Row>(
    `update classification_workflows set is_active = false where id = $1 and is_active returning ${COLUMNS}`,
    [id],
  );
  return rows[0] ? toProfile(rows[0]) : undefined;
}
