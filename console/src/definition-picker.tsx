// Which categories to classify into: one of the caller's classification workflows, or categories typed inline.
import { useState } from 'preact/hooks';
import { invoke } from './api.ts';
import { useLoad } from './hooks.ts';
import type { ClassificationWorkflow, Page } from './types.ts';
import { Field } from './ui.tsx';

const DEFAULT_CATEGORIES = 'meeting notes, contract, invoice, support request, sales';

interface Definition {
  workflowId?: string;
  categories?: { name: string }[];
}

/** A select of workflows plus an inline category list; reports the request fields through `onChange`. */
export function useDefinitionPicker(idPrefix: string) {
  const workflows = useLoad(
    () => invoke<Page<ClassificationWorkflow>>('classification/workflows?limit=100'),
    [],
  );
  const [workflowId, setWorkflowId] = useState('');
  const [categories, setCategories] = useState(DEFAULT_CATEGORIES);
  const definition: Definition = workflowId
    ? { workflowId }
    : {
        categories: categories
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean)
          .map((name) => ({ name })),
      };
  const picker = (
    <div class="row">
      <Field
        label="Classification workflow"
        id={`${idPrefix}-workflow`}
        hint={workflows.error ? workflows.error.message : undefined}
      >
        <select
          id={`${idPrefix}-workflow`}
          value={workflowId}
          onChange={(e) => setWorkflowId(e.currentTarget.value)}
        >
          <option value="">Inline categories (default cascade)</option>
          {workflows.data?.items.map((workflow) => (
            <option key={workflow.id} value={workflow.id}>
              {workflow.name} (v{workflow.version})
            </option>
          ))}
        </select>
      </Field>
      {!workflowId && (
        <Field label="Categories" id={`${idPrefix}-categories`} hint="Comma-separated">
          <input
            id={`${idPrefix}-categories`}
            value={categories}
            onInput={(e) => setCategories(e.currentTarget.value)}
          />
        </Field>
      )}
    </div>
  );
  return { definition, picker };
}
