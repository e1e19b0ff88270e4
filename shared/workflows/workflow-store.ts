// Data layer of document_workflows: the shared store of definitions with versions (shared/db).
import { definitionStore } from '../db/definition-store.ts';
import type { Workflow } from './types.ts';

/** Insert, find, list, update (next version) and deactivate document workflows. */
export const workflowDefinitions = definitionStore<Pick<Workflow, 'steps'>, Workflow>({
  table: 'document_workflows',
  body: ['steps'],
});
