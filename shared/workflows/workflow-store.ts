// Data layer of document_workflows. User calls run under RLS, so no query here filters by user.
import type { Queryable } from '../db/database.ts';
import type { WorkflowInput } from './definition.ts';
import type { Workflow } from './types.ts';

const COLUMNS = `id, user_id, name, description, steps, version, is_active, created_at, updated_at`;

interface WorkflowRow {
  id: string;
  user_id: string;
  name: string;
  description: string | null;
  steps: Workflow['steps'];
  version: number;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
}

function toWorkflow(row: WorkflowRow): Workflow {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    description: row.description,
    steps: row.steps,
    version: row.version,
    isActive: row.is_active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Stores a new workflow (version 1) for the signed-in user. */
export async function insertWorkflow(tx: Queryable, input: WorkflowInput): Promise<Workflow> {
  const { rows } = await tx.query<WorkflowRow>(
    `insert into document_workflows (user_id, name, description, steps)
     values (auth.uid(), $1, $2, $3::jsonb) returning ${COLUMNS}`,
    [input.name, input.description ?? null, JSON.stringify(input.steps)],
  );
  return toWorkflow(rows[0]!);
}

/** One workflow the caller can see, or undefined. */
export async function findWorkflow(tx: Queryable, id: string): Promise<Workflow | undefined> {
  const { rows } = await tx.query<WorkflowRow>(`select ${COLUMNS} from document_workflows where id = $1`, [
    id,
  ]);
  return rows[0] ? toWorkflow(rows[0]) : undefined;
}

export interface WorkflowPage {
  items: Workflow[];
  total: number;
}

/** The caller's workflows, newest first. */
export async function listWorkflows(
  tx: Queryable,
  options: { limit: number; offset: number; includeInactive: boolean },
): Promise<WorkflowPage> {
  const { rows } = await tx.query<WorkflowRow & { total: string }>(
    `select ${COLUMNS}, count(*) over () as total from document_workflows
      where ($3 or is_active)
      order by created_at desc, id
      limit $1 offset $2`,
    [options.limit, options.offset, options.includeInactive],
  );
  return { items: rows.map(toWorkflow), total: rows[0] ? Number(rows[0].total) : 0 };
}

/**
 * Replaces an active workflow's definition as a new version. With `expectedVersion` it is a compare-and-set on
 * the version, so two editors cannot silently overwrite each other. Undefined when nothing matched.
 */
export async function updateWorkflow(
  tx: Queryable,
  id: string,
  input: WorkflowInput,
  expectedVersion: number | undefined,
): Promise<Workflow | undefined> {
  const { rows } = await tx.query<WorkflowRow>(
    `update document_workflows
        set name = $2, description = $3, steps = $4::jsonb, version = version + 1
      where id = $1 and is_active and ($5::int is null or version = $5)
      returning ${COLUMNS}`,
    [id, input.name, input.description ?? null, JSON.stringify(input.steps), expectedVersion ?? null],
  );
  return rows[0] ? toWorkflow(rows[0]) : undefined;
}

/** Deactivates an active workflow (compare-and-set); undefined when it was not active. */
export async function deactivateWorkflow(tx: Queryable, id: string): Promise<Workflow | undefined> {
  const { rows } = await tx.query<WorkflowRow>(
    `update document_workflows set is_active = false where id = $1 and is_active returning ${COLUMNS}`,
    [id],
  );
  return rows[0] ? toWorkflow(rows[0]) : undefined;
}
