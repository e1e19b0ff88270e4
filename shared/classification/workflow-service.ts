// Create, read, update and deactivate classification workflows, as the signed-in user (RLS scopes every query).
import type { UserClaims } from '../auth/claims.ts';
import type { Queryable } from '../db/database.ts';
import { conflict, notFound } from '../http/errors.ts';
import {
  type Category,
  DEFAULT_STAGES,
  type Stage,
  type WorkflowInput,
  type WorkflowPatch,
} from './definition.ts';
import type { ClassificationDeps } from './deps.ts';
import {
  type ClassificationWorkflow,
  deactivateWorkflow,
  findWorkflow,
  insertWorkflow,
  listWorkflows,
  updateWorkflow,
} from './workflow-store.ts';

function nameTaken(error: unknown, name: string): never {
  if ((error as { constraint?: string }).constraint === 'classification_workflows_active_name_key') {
    throw conflict(`An active classification workflow named "${name}" already exists`);
  }
  throw error;
}

/** Creates a workflow; the default cascade is stored when no stages are given, so later defaults never change it. */
export function createWorkflow(deps: ClassificationDeps, user: UserClaims, input: WorkflowInput) {
  const fields = {
    name: input.name,
    description: input.description ?? null,
    categories: input.categories,
    stages: input.stages ?? DEFAULT_STAGES,
  };
  return deps.db
    .asUser(user, (tx) => insertWorkflow(tx, fields))
    .catch((error) => nameTaken(error, input.name));
}

/** A page of the caller's workflows. */
export function listUserWorkflows(
  deps: ClassificationDeps,
  user: UserClaims,
  options: { limit: number; offset: number; includeInactive: boolean },
) {
  return deps.db.asUser(user, (tx) => listWorkflows(tx, options), { readOnly: true });
}

/** One of the caller's workflows; 404 otherwise. */
export async function getWorkflow(deps: ClassificationDeps, user: UserClaims, id: string) {
  const found = await deps.db.asUser(user, (tx) => findWorkflow(tx, id), { readOnly: true });
  if (!found) throw notFound('Classification workflow');
  return found;
}

/** Applies a patch as a new version; 409 when deactivated, edited meanwhile, or renamed onto an active name. */
export async function patchWorkflow(
  deps: ClassificationDeps,
  user: UserClaims,
  id: string,
  patch: WorkflowPatch,
): Promise<ClassificationWorkflow> {
  return deps.db
    .asUser(user, async (tx) => {
      const current = await findWorkflow(tx, id);
      if (!current) throw notFound('Classification workflow');
      if (!current.isActive) throw conflict('The classification workflow is deactivated');
      const fields = {
        name: patch.name ?? current.name,
        description: patch.description === undefined ? current.description : patch.description,
        categories: patch.categories ?? current.categories,
        stages: patch.stages ?? current.stages,
      };
      const updated = await updateWorkflow(tx, id, fields, patch.version ?? current.version);
      if (!updated)
        throw conflict('The classification workflow was changed meanwhile; read it and try again');
      return updated;
    })
    .catch((error) => nameTaken(error, patch.name ?? ''));
}

/** Deactivates a workflow; deactivating it again answers the same workflow (idempotent). */
export async function retireWorkflow(deps: ClassificationDeps, user: UserClaims, id: string) {
  return deps.db.asUser(user, async (tx) => {
    const done = (await deactivateWorkflow(tx, id)) ?? (await findWorkflow(tx, id));
    if (!done) throw notFound('Classification workflow');
    return done;
  });
}

/** The categories and stages a request classifies with. */
export interface Definition {
  workflowId: string | null;
  categories: Category[];
  stages: Stage[];
}

/** Resolves a request's definition: an active workflow of the caller's, or inline categories (and stages). */
export async function resolveDefinition(
  tx: Queryable,
  request: { workflowId?: string; categories?: Category[]; stages?: Stage[] },
): Promise<Definition> {
  if (request.workflowId) {
    const workflow = await findWorkflow(tx, request.workflowId);
    if (!workflow) throw notFound('Classification workflow');
    if (!workflow.isActive) throw conflict('The classification workflow is deactivated');
    return { workflowId: workflow.id, categories: workflow.categories, stages: workflow.stages };
  }
  return { workflowId: null, categories: request.categories ?? [], stages: request.stages ?? DEFAULT_STAGES };
}
