// Classification profiles (rows of `classification_workflows`): created, read, updated and deactivated as the
// signed-in user (RLS scopes every query), and resolved for a classification.
import { type UserClaims, userClaims } from '../auth/claims.ts';
import type { Database, Queryable } from '../db/database.ts';
import { conflict, notFound } from '../http/errors.ts';
import { type CascadeAi, type CascadeContext, runCascade } from './cascade.ts';
import {
  type ClassificationCategory,
  DEFAULT_STAGES,
  type ProfileInput,
  type ProfilePatch,
  type Stage,
} from './definition.ts';
import type { ClassificationDeps } from './deps.ts';
import { assertPatterns } from './patterns.ts';
import { type ClassificationProfile, profiles } from './profile-store.ts';
import type { EnhancedResult } from './types.ts';

/** Every keyword of stored categories, whatever shape the stored JSON has. */
function storedKeywords(categories: unknown): string[] {
  if (!Array.isArray(categories)) return [];
  return categories.flatMap((category) => {
    const keywords = (category as { keywords?: unknown } | null)?.keywords;
    return Array.isArray(keywords) ? keywords.map(String) : [];
  });
}

function nameTaken(error: unknown, name: string): never {
  if ((error as { constraint?: string }).constraint === 'classification_workflows_active_name_key') {
    throw conflict(`An active classification workflow named "${name}" already exists`);
  }
  throw error;
}

/** Creates a workflow; the default cascade is stored when no stages are given, so later defaults never change it. */
export function createProfile(deps: ClassificationDeps, user: UserClaims, input: ProfileInput) {
  const fields = {
    name: input.name,
    description: input.description ?? null,
    categories: input.categories,
    stages: input.stages ?? DEFAULT_STAGES,
  };
  return deps.db
    .asUser(user, (tx) => profiles.insert(tx, fields))
    .catch((error) => nameTaken(error, input.name));
}

/** A page of the caller's workflows. */
export function listUserProfiles(
  deps: ClassificationDeps,
  user: UserClaims,
  options: { limit: number; offset: number; includeInactive: boolean },
) {
  return deps.db.asUser(user, (tx) => profiles.list(tx, options), { readOnly: true });
}

/** One of the caller's workflows; 404 otherwise. */
export async function getProfile(deps: ClassificationDeps, user: UserClaims, id: string) {
  const found = await deps.db.asUser(user, (tx) => profiles.find(tx, id), { readOnly: true });
  if (!found) throw notFound('Classification workflow');
  return found;
}

/** Applies a patch as a new version; 409 when deactivated, edited meanwhile, or renamed onto an active name. */
export async function patchProfile(
  deps: ClassificationDeps,
  user: UserClaims,
  id: string,
  patch: ProfilePatch,
): Promise<ClassificationProfile> {
  return deps.db
    .asUser(user, async (tx) => {
      const current = await profiles.find(tx, id);
      if (!current) throw notFound('Classification workflow');
      if (!current.isActive) throw conflict('The classification workflow is deactivated');
      const fields = {
        name: patch.name ?? current.name,
        description: patch.description === undefined ? current.description : patch.description,
        categories: patch.categories ?? current.categories,
        stages: patch.stages ?? current.stages,
      };
      const updated = await profiles.update(tx, id, fields, patch.version ?? current.version);
      if (!updated)
        throw conflict('The classification workflow was changed meanwhile; read it and try again');
      return updated;
    })
    .catch((error) => nameTaken(error, patch.name ?? ''));
}

/** Deactivates a workflow; deactivating it again answers the same workflow (idempotent). */
export async function retireProfile(deps: ClassificationDeps, user: UserClaims, id: string) {
  return deps.db.asUser(user, async (tx) => {
    const done = (await profiles.deactivate(tx, id)) ?? (await profiles.find(tx, id));
    if (!done) throw notFound('Classification workflow');
    return done;
  });
}

/** The categories and stages a request classifies with. */
export interface ResolvedProfile {
  workflowId: string | null;
  categories: ClassificationCategory[];
  stages: Stage[];
}

/** Resolves a request's definition: an active workflow of the caller's, or inline categories (and stages). */
export async function resolveProfile(
  tx: Queryable,
  request: { workflowId?: string; categories?: ClassificationCategory[]; stages?: Stage[] },
): Promise<ResolvedProfile> {
  if (request.workflowId) {
    const workflow = await profiles.find(tx, request.workflowId);
    if (!workflow) throw notFound('Classification workflow');
    if (!workflow.isActive) throw conflict('The classification workflow is deactivated');
    // A row can be written by other means than this service (PostgREST, SQL): its patterns are checked again.
    assertPatterns(storedKeywords(workflow.categories));
    return { workflowId: workflow.id, categories: workflow.categories, stages: workflow.stages };
  }
  return { workflowId: null, categories: request.categories ?? [], stages: request.stages ?? DEFAULT_STAGES };
}

/**
 * Classifies a text with one of the user's classification profiles, as that user (RLS: someone else's profile
 * is not found): the profile's stages run as a cascade over the AI service. For a workflow's classification step.
 */
export async function classifyWithProfile(
  services: { readonly db: Database; readonly ai: CascadeAi },
  context: CascadeContext,
  request: { profileId: string; text: string },
): Promise<EnhancedResult> {
  const profile = await services.db.asUser(
    userClaims(context.userId),
    (tx) => resolveProfile(tx, { workflowId: request.profileId }),
    { readOnly: true },
  );
  return runCascade(services.ai, context, request.text, profile.categories, profile.stages);
}
