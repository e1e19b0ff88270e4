// Classification workflows: the caller's list, and a form that creates one or saves the next version.
import { useState } from 'preact/hooks';
import { invoke } from '../api.ts';
import { useAction, useLoad } from '../hooks.ts';
import { issuesAt, JsonField, useJson } from '../json-field.tsx';
import type { ClassificationWorkflow, Page } from '../types.ts';
import { Badge, ErrorNote, Field, formatTime, States } from '../ui.tsx';

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
      <p>
        <a class="button" href="#/classification-workflows/new">
          New workflow
        </a>
      </p>
      {(rest === 'new' || editing) && (
        <WorkflowForm
          key={rest}
          workflow={editing}
          onSaved={() => void list.reload().then(() => (location.hash = '#/classification-workflows'))}
        />
      )}
      <States
        data={list.data}
        error={list.error}
        empty={(page) => page.items.length === 0}
        emptyText="No classification workflows yet."
      >
        {(page) => (
          <table aria-label="Classification workflows">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Categories</th>
                <th scope="col">Stages</th>
                <th scope="col">Version</th>
                <th scope="col">State</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((workflow) => (
                <tr key={workflow.id}>
                  <td>
                    <a href={`#/classification-workflows/${workflow.id}`}>{workflow.name}</a>
                  </td>
                  <td>{workflow.categories.map((category) => category.name).join(', ')}</td>
                  <td>{workflow.stages.map((stage) => String(stage.type)).join(' → ')}</td>
                  <td>v{workflow.version}</td>
                  <td>
                    <Badge status={workflow.isActive ? 'active' : 'inactive'} />
                  </td>
                  <td>{formatTime(workflow.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </States>
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
      <Field label="Name" id="cw-name" error={issuesAt(issues, 'name')}>
        <input id="cw-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Field label="Description" id="cw-description">
        <input
          id="cw-description"
          value={description}
          onInput={(e) => setDescription(e.currentTarget.value)}
        />
      </Field>
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
