// Data layer of classification_workflows: the shared store of definitions with versions (shared/db).
import { definitionStore } from '../db/definition-store.ts';
import type { ClassificationCategory, Stage } from './definition.ts';

/** A stored classification profile (a row of classification_workflows). */
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

/** Insert, find, list, update (next version) and deactivate classification profiles. */
export const profiles = definitionStore<
  { categories: ClassificationCategory[]; stages: Stage[] },
  ClassificationProfile
>({
  table: 'classification_workflows',
  body: ['categories', 'stages'],
  // The owner is the caller (RLS): the API does not show it.
  view: ({ userId: _owner, ...profile }) => profile,
});
