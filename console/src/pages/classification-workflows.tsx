// Classification workflows: the caller's list, and a form that creates one or saves the next version.
import { useState } from 'preact/hooks';
import { invoke } from '../api.ts';
import { DefinitionList, NameFields } from '../definition-list.tsx';
import { useAction, useLoad } from '../hooks.ts';
import { issuesAt, JsonField, useJson } from '../json-field.tsx';
import type { ClassificationWorkflow, Page } from '../types.ts';
import { ErrorNote } from '../ui.tsx';

const EXAMPLE_CATEGORIES = [
  {
    name: 'contract',
    description: 'Agreements and their terms',
    keywords: ['agreement', 'signed', 'clause'],
  },
  { name: 'invoice', description: 'Bills and payments', keywords: ['invoice', 'payment', 'due'] },
  { name: 'meeting notes', description: 'Notes from meetings', keywords: ['agenda', 'action items'] },
];
const EXAMPLE_STAGES = [
  { type: 'rules', threshold: 0.9 },
  { type: 'local', threshold: 0.6 },
  { type: 'llm', threshold: 0 },
  { type: 'sentiment' },
  { type: 'entities' },
];

export function ClassificationWorkflowsPage({ rest }: { rest: string }) {
  const list = useLoad(
    () => invoke<Page<ClassificationWorkflow>>('classification/workflows?limit=100&includeInactive=true'),
    [],
  );
  const editing = rest === 'new' ? undefined : list.data?.items.find((workflow) => workflow.id === rest);
  return (
    <>
      <h1>Classification workflows</h1>
      <DefinitionList
        route="classification-workflows"
        label="Classification workflows"
        emptyText="No classification workflows yet."
        list={list}
        columns={[
          { header: 'Categories', cell: (workflow) => workflow.categories.map((c) => c.name).join(', ') },
          {
            header: 'Stages',
            cell: (workflow) => workflow.stages.map((stage) => String(stage.type)).join(' → '),
          },
        ]}
      >
        {(rest === 'new' || editing) && (
          <WorkflowForm
            key={rest}
            workflow={editing}
            onSaved={() => void list.reload().then(() => (location.hash = '#/classification-workflows'))}
          />
        )}
      </DefinitionList>
    </>
  );
}

function WorkflowForm({ workflow, onSaved }: { workflow?: ClassificationWorkflow; onSaved: () => void }) {
  const [name, setName] = useState(workflow?.name ?? '');
  const [description, setDescription] = useState(workflow?.description ?? '');
  const categories = useJson(workflow?.categories ?? EXAMPLE_CATEGORIES);
  const stages = useJson(workflow?.stages ?? EXAMPLE_STAGES);
  const action = useAction();
  const issues = action.error?.issues;
  const submit = (event: Event) => {
    event.preventDefault();
    if (categories.error || stages.error) return;
    const body = {
      name,
      description: description || undefined,
      categories: categories.value,
      stages: stages.value,
    };
    void action.run(async () => {
      if (workflow) await invoke(`classification/workflows/${workflow.id}`, { method: 'PATCH', body });
      else await invoke('classification/workflows', { body });
      onSaved();
    });
  };
  return (
    <form
      class="card"
      onSubmit={submit}
      aria-label={workflow ? `Edit ${workflow.name}` : 'New classification workflow'}
    >
      <h2>
        {workflow ? `Edit ${workflow.name} (saves v${workflow.version + 1})` : 'New classification workflow'}
      </h2>
      <NameFields
        idPrefix="cw"
        name={name}
        description={description}
        onName={setName}
        onDescription={setDescription}
        nameError={issuesAt(issues, 'name')}
      />
      <JsonField
        id="cw-categories"
        label="Categories (JSON)"
        json={categories}
        onText={categories.setText}
        rows={10}
        hint="[{name, description?, keywords?, examples?}], at least two"
        issue={issuesAt(issues, 'categories')}
      />
      <JsonField
        id="cw-stages"
        label="Stages (JSON)"
        json={stages}
        onText={stages.setText}
        rows={8}
        hint="In order: rules, local, llm (each with a threshold), sentiment, entities"
        issue={issuesAt(issues, 'stages')}
      />
      <button type="submit" disabled={action.busy}>
        {action.busy ? 'Saving…' : 'Save'}
      </button>
      <ErrorNote error={action.error} />
    </form>
  );
}
