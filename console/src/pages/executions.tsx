// Workflow executions: the list with status filters, and one execution's step timeline, refreshed while it runs,
// with pause, resume and cancel.
import { invoke } from '../api.ts';
import { useAction, useLoad } from '../hooks.ts';
import { type Execution, FINISHED, type Page } from '../types.ts';
import { Badge, ErrorNote, formatMs, formatTime, States } from '../ui.tsx';

const STATUSES = [
  'queued',
  'running',
  'paused',
  'waiting_approval',
  'completed',
  'failed',
  'cancelled',
  'rejected',
  'expired',
];

export function ExecutionsPage({ rest, params }: { rest: string; params: URLSearchParams }) {
  return rest ? <ExecutionDetail id={rest} /> : <ExecutionList params={params} />;
}

const stillRunning = (page: Page<Execution>) =>
  page.items.some((execution) => !FINISHED.includes(execution.status));

function ExecutionList({ params }: { params: URLSearchParams }) {
  const status = params.get('status') ?? '';
  const workflowId = params.get('workflowId') ?? '';
  const query = new URLSearchParams({ limit: '50' });
  if (status) query.set('status', status);
  if (workflowId) query.set('workflowId', workflowId);
  const list = useLoad(() => invoke<Page<Execution>>(`workflows/executions?${query}`), [status, workflowId], {
    pollMs: 2000,
    keepPolling: stillRunning,
  });
  const filter = (next: string) => {
    const search = new URLSearchParams(params);
    if (next) search.set('status', next);
    else search.delete('status');
    location.hash = `#/executions?${search}`;
  };
  return (
    <>
      <h1>Executions</h1>
      <fieldset class="filters">
        <legend class="visually-hidden">Filter by status</legend>
        {['', ...STATUSES].map((value) => (
          <button
            key={value || 'all'}
            type="button"
            class="chip"
            aria-pressed={status === value}
            onClick={() => filter(value)}
          >
            {value ? value.replace(/_/g, ' ') : 'all'}
          </button>
        ))}
      </fieldset>
      {workflowId && (
        <p class="hint">
          One workflow only · <a href="#/executions">all workflows</a>
        </p>
      )}
      <States
        data={list.data}
        error={list.error}
        empty={(page) => page.items.length === 0}
        emptyText="No executions match."
      >
        {(page) => (
          <table aria-label="Executions">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Workflow</th>
                <th scope="col">Status</th>
                <th scope="col">Current step</th>
                <th scope="col">Finished</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((execution) => (
                <tr key={execution.id}>
                  <td>
                    <a href={`#/executions/${execution.id}`}>{formatTime(execution.createdAt)}</a>
                  </td>
                  <td>
                    {execution.definition.name} v{execution.workflowVersion}
                  </td>
                  <td>
                    <Badge status={execution.status} />
                  </td>
                  <td>{execution.currentStepId ?? '—'}</td>
                  <td>{formatTime(execution.finishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </States>
    </>
  );
}

const notFinished = (execution: Execution) => !FINISHED.includes(execution.status);

function ExecutionDetail({ id }: { id: string }) {
  const execution = useLoad(() => invoke<Execution>(`workflows/executions/${id}`), [id], {
    pollMs: 1000,
    keepPolling: notFinished,
  });
  const action = useAction();
  const control = (verb: 'pause' | 'resume' | 'cancel') =>
    void action.run(async () => {
      await invoke(`workflows/executions/${id}/${verb}`, { method: 'POST', body: {} });
      await execution.reload();
    });
  return (
    <>
      <p>
        <a href="#/executions">← Executions</a>
      </p>
      <States data={execution.data} error={execution.error}>
        {(data) => (
          <>
            <h1>
              {data.definition.name} v{data.workflowVersion}
            </h1>
            <div class="headline">
              <div>
                <div class="hint">Status</div>
                <span data-testid="execution-status">
                  <Badge status={data.status} />
                </span>
              </div>
              <div>
                <div class="hint">Started</div>
                {formatTime(data.startedAt)}
              </div>
              <div>
                <div class="hint">Finished</div>
                {formatTime(data.finishedAt)}
              </div>
            </div>
            {data.error && <p class="error">{data.error}</p>}
            <div class="actions">
              <button
                type="button"
                disabled={action.busy || !['queued', 'running'].includes(data.status)}
                onClick={() => control('pause')}
              >
                Pause
              </button>
              <button
                type="button"
                disabled={action.busy || data.status !== 'paused'}
                onClick={() => control('resume')}
              >
                Resume
              </button>
              <button
                type="button"
                disabled={action.busy || FINISHED.includes(data.status)}
                onClick={() => control('cancel')}
              >
                Cancel
              </button>
              {data.status === 'waiting_approval' && (
                <a href="#/approvals">Waiting for approval: open the inbox</a>
              )}
            </div>
            <ErrorNote error={action.error} />
            <h2>Timeline</h2>
            <ol class="timeline" aria-label="Step timeline">
              {(data.steps ?? []).map((step) => (
                <li key={step.stepId} class={`timeline-step step-${step.status}`}>
                  <div class="timeline-head">
                    <strong>{step.stepId}</strong> <span class="hint">{step.stepType}</span>{' '}
                    <Badge status={step.status} />
                    <span class="hint">
                      {' '}
                      attempts {step.attempts} · {formatMs(step.durationMs)}
                      {step.startedAt ? ` · started ${formatTime(step.startedAt)}` : ''}
                    </span>
                  </div>
                  {step.error && <p class="error">{step.error}</p>}
                  {step.output !== undefined && step.output !== null && (
                    <details>
                      <summary>Output</summary>
                      <pre>{JSON.stringify(step.output, null, 2)}</pre>
                    </details>
                  )}
                </li>
              ))}
            </ol>
          </>
        )}
      </States>
    </>
  );
}
