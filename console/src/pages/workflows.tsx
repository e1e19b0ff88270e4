// Document workflow definitions: the list, the editor (steps, conditions, versions) and running one on a document.
import { useState } from 'preact/hooks';
import { ApiError, invoke } from '../api.ts';
import { DefinitionList, NameFields } from '../definition-list.tsx';
import { DocumentSelect } from '../document-select.tsx';
import { listDocuments } from '../documents.ts';
import { useAction, useLoad } from '../hooks.ts';
import { issuesAt } from '../json-field.tsx';
import type { Execution, Page, Workflow } from '../types.ts';
import { ErrorNote, Field, States } from '../ui.tsx';
import { draftOf, STEP_TYPES, type StepDraft, StepEditor, stepFromDraft } from './step-editor.tsx';

export function WorkflowsPage({ rest }: { rest: string }) {
  if (rest === 'new') return <WorkflowEditor />;
  if (rest) return <WorkflowDetail id={rest} />;
  return <WorkflowList />;
}

function WorkflowList() {
  const list = useLoad(() => invoke<Page<Workflow>>('workflows?limit=100'), []);
  return (
    <>
      <h1>Workflows</h1>
      <DefinitionList
        route="workflows"
        label="Workflows"
        emptyText="No workflows yet."
        list={list}
        columns={[
          {
            header: 'Steps',
            cell: (workflow) => workflow.steps.map((step) => `${step.id} (${step.type})`).join(' → '),
          },
        ]}
      />
    </>
  );
}

function WorkflowDetail({ id }: { id: string }) {
  const workflow = useLoad(() => invoke<Workflow>(`workflows/${id}`), [id]);
  const executions = useLoad(
    () => invoke<Page<Execution>>(`workflows/executions?workflowId=${id}&limit=50`),
    [id],
  );
  return (
    <>
      <p>
        <a href="#/workflows">← Workflows</a>
      </p>
      <States data={workflow.data} error={workflow.error}>
        {(data) => (
          <>
            <RunPanel workflow={data} />
            <WorkflowEditor
              key={`${data.id}-${data.version}`}
              workflow={data}
              onSaved={() => void workflow.reload()}
            />
            <h2>Versions</h2>
            <p class="hint">
              Current: v{data.version}. Executions keep the version they started with; the ones of this
              workflow by version:
            </p>
            <States
              data={executions.data}
              error={executions.error}
              empty={(page) => page.items.length === 0}
              emptyText="Not run yet."
            >
              {(page) => (
                <ul>
                  {[...new Set(page.items.map((execution) => execution.workflowVersion))]
                    .sort((a, b) => b - a)
                    .map((version) => (
                      <li key={version}>
                        v{version}:{' '}
                        {page.items.filter((execution) => execution.workflowVersion === version).length}{' '}
                        executions — <a href={`#/executions?workflowId=${id}`}>see executions</a>
                      </li>
                    ))}
                </ul>
              )}
            </States>
          </>
        )}
      </States>
    </>
  );
}

function RunPanel({ workflow }: { workflow: Workflow }) {
  const documents = useLoad(() => listDocuments(), []);
  const [documentId, setDocumentId] = useState('');
  const action = useAction();
  const run = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const started = await invoke<{ executionId: string }>(`workflows/${workflow.id}/execute`, {
        body: { documentId },
      });
      location.hash = `#/executions/${started.executionId}`;
    });
  };
  return (
    <form class="card" onSubmit={run} aria-label="Run on a document">
      <h2>Run {workflow.name}</h2>
      <div class="row">
        <DocumentSelect id="run-document" documents={documents} value={documentId} onChange={setDocumentId} />
        <button type="submit" disabled={action.busy || !workflow.isActive}>
          {action.busy ? 'Starting…' : 'Run'}
        </button>
      </div>
      <ErrorNote error={action.error} />
    </form>
  );
}

function WorkflowEditor({ workflow, onSaved }: { workflow?: Workflow; onSaved?: () => void }) {
  const [name, setName] = useState(workflow?.name ?? '');
  const [description, setDescription] = useState(workflow?.description ?? '');
  const [drafts, setDrafts] = useState<StepDraft[]>(() =>
    workflow ? workflow.steps.map(draftOf) : [draftOf({ id: 'classify', type: 'classification' })],
  );
  const [newType, setNewType] = useState<StepDraft['type']>('approval');
  const action = useAction();
  const update = (index: number, draft: StepDraft) =>
    setDrafts(drafts.map((d, at) => (at === index ? draft : d)));
  const move = (index: number, by: number) => {
    const next = [...drafts];
    const [moved] = next.splice(index, 1);
    next.splice(index + by, 0, moved!);
    setDrafts(next);
  };
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const steps = drafts.map(stepFromDraft);
      const broken = steps.find((step) => typeof step === 'string');
      if (typeof broken === 'string') throw new ApiError(broken);
      const body = { name, description: description || undefined, steps };
      if (workflow) {
        await invoke(`workflows/${workflow.id}`, {
          method: 'PUT',
          body: { ...body, version: workflow.version },
        });
        onSaved?.();
      } else {
        const created = await invoke<Workflow>('workflows', { body });
        location.hash = `#/workflows/${created.id}`;
      }
    });
  };
  return (
    <form class="card" onSubmit={save} aria-label={workflow ? `Edit ${workflow.name}` : 'New workflow'}>
      <h2>{workflow ? `${workflow.name} · v${workflow.version}` : 'New workflow'}</h2>
      <NameFields
        idPrefix="wf"
        name={name}
        description={description}
        onName={setName}
        onDescription={setDescription}
        nameError={issuesAt(action.error?.issues, 'name')}
      />
      <h3>Steps</h3>
      <ol class="steps">
        {drafts.map((draft, index) => (
          <StepEditor
            key={draft.key}
            index={index}
            count={drafts.length}
            draft={draft}
            onChange={(next) => update(index, next)}
            onMove={(by) => move(index, by)}
            onRemove={() => setDrafts(drafts.filter((_, at) => at !== index))}
            issues={action.error?.issues}
            message={action.error?.message}
          />
        ))}
      </ol>
      <div class="row">
        <Field label="New step type" id="wf-new-type">
          <select
            id="wf-new-type"
            value={newType}
            onChange={(e) => setNewType(e.currentTarget.value as StepDraft['type'])}
          >
            {STEP_TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </Field>
        <button
          type="button"
          onClick={() =>
            setDrafts([...drafts, draftOf({ id: `${newType}${drafts.length + 1}`, type: newType })])
          }
        >
          Add step
        </button>
      </div>
      <button type="submit" disabled={action.busy}>
        {action.busy ? 'Saving…' : workflow ? `Save as v${workflow.version + 1}` : 'Create workflow'}
      </button>
      <ErrorNote error={action.error} />
    </form>
  );
}
