// Batch classification: upload CSV or JSON Lines, then the batch's live progress, per-item results, retry of
// failed items and export.
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { invoke, rows, supabase } from '../api.ts';
import { type BatchItem, download, parseBatchFile, resultsCsv } from '../batch-files.ts';
import { useDefinitionPicker } from '../definition-picker.tsx';
import { useAction, useLoad } from '../hooks.ts';
import type { Batch, ClassificationResult } from '../types.ts';
import { Badge, ErrorNote, Field, formatTime, formatUsd, States } from '../ui.tsx';
import { TraceTable } from './result-view.tsx';

const RUNNING = ['queued', 'running'];

export function BatchesPage({ rest }: { rest: string }) {
  return rest ? <BatchDetail id={rest} /> : <BatchList />;
}

interface BatchRow {
  id: string;
  status: string;
  total_items: number;
  done_items: number;
  failed_items: number;
  created_at: string;
}

function BatchList() {
  const batches = useLoad(
    () =>
      rows<BatchRow>(
        supabase()
          .from('classification_batches')
          .select('id, status, total_items, done_items, failed_items, created_at')
          .order('created_at', { ascending: false })
          .limit(20),
      ),
    [],
  );
  const [items, setItems] = useState<BatchItem[]>();
  const [fileError, setFileError] = useState<string>();
  const { definition, picker } = useDefinitionPicker('batch');
  const action = useAction();

  const readFile = async (file: File | undefined) => {
    setItems(undefined);
    setFileError(undefined);
    if (!file) return;
    try {
      setItems(parseBatchFile(file.name, await file.text()));
    } catch (error) {
      setFileError(error instanceof Error ? error.message : String(error));
    }
  };
  const submit = (event: Event) => {
    event.preventDefault();
    if (!items) return;
    void action.run(async () => {
      const batch = await invoke<Batch>('classification/batch', {
        body: { documents: items, ...definition },
      });
      location.hash = `#/batches/${batch.id}`;
    });
  };

  return (
    <>
      <h1>Batches</h1>
      <form onSubmit={submit} aria-label="Submit a batch">
        <Field
          label="File (CSV with a text column, or JSON Lines)"
          id="batch-file"
          error={fileError}
          hint={items ? `${items.length} items read` : 'Up to 5,000 items'}
        >
          <input
            id="batch-file"
            type="file"
            accept=".csv,.jsonl,.json,text/csv"
            onChange={(e) => void readFile(e.currentTarget.files?.[0])}
          />
        </Field>
        {picker}
        <button type="submit" disabled={!items || action.busy}>
          {action.busy ? 'Submitting…' : items ? `Classify ${items.length} items` : 'Classify'}
        </button>
      </form>
      <ErrorNote error={action.error} />
      <h2>Recent batches</h2>
      <States
        data={batches.data}
        error={batches.error}
        empty={(list) => list.length === 0}
        emptyText="No batches yet."
      >
        {(list) => (
          <table aria-label="Recent batches">
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Status</th>
                <th scope="col">Done / failed / total</th>
              </tr>
            </thead>
            <tbody>
              {list.map((batch) => (
                <tr key={batch.id}>
                  <td>
                    <a href={`#/batches/${batch.id}`}>{formatTime(batch.created_at)}</a>
                  </td>
                  <td>
                    <Badge status={batch.status} />
                  </td>
                  <td>
                    {batch.done_items} / {batch.failed_items} / {batch.total_items}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </States>
    </>
  );
}

const keepPolling = (batch: Batch) => RUNNING.includes(batch.status);

function BatchDetail({ id }: { id: string }) {
  const [status, setStatus] = useState('');
  const batch = useLoad(
    () => invoke<Batch>(`classification/batches/${id}?limit=500${status ? `&status=${status}` : ''}`),
    [id, status],
    { pollMs: 1000, keepPolling },
  );
  const retry = useAction();
  const exporting = useAction();
  const [open, setOpen] = useState<string>();

  const exportAll = (format: 'csv' | 'json') =>
    void exporting.run(async () => {
      const all: ClassificationResult[] = [];
      for (let offset = 0; ; offset += 500) {
        const page = await invoke<Batch>(`classification/batches/${id}?limit=500&offset=${offset}`);
        all.push(...(page.results?.items ?? []));
        if ((page.results?.items.length ?? 0) < 500) break;
      }
      if (format === 'csv') download(`batch-${id}.csv`, 'text/csv', resultsCsv(all));
      else download(`batch-${id}.json`, 'application/json', JSON.stringify(all, null, 2));
    });

  return (
    <>
      <p>
        <a href="#/batches">← Batches</a>
      </p>
      <h1>Batch</h1>
      <States data={batch.data} error={batch.error}>
        {(data) => {
          const finished = data.counts.done + data.counts.failed;
          const percent = data.counts.total ? Math.round((finished / data.counts.total) * 100) : 0;
          return (
            <>
              <div class="headline">
                <div>
                  <div class="hint">Status</div>
                  <Badge status={data.status} />
                </div>
                <div>
                  <div class="hint">Done</div>
                  <div class="big">{data.counts.done}</div>
                </div>
                <div>
                  <div class="hint">Failed</div>
                  <div class="big">{data.counts.failed}</div>
                </div>
                <div>
                  <div class="hint">Total</div>
                  <div class="big">{data.counts.total}</div>
                </div>
                {data.summary && (
                  <div>
                    <div class="hint">Cost</div>
                    <div class="big">{formatUsd(data.summary.totalCostUsd)}</div>
                  </div>
                )}
              </div>
              <div
                class="progress"
                role="progressbar"
                aria-label="Batch progress"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={percent}
              >
                <div class="progress-fill" style={{ width: `${percent}%` }} />
                <span class="progress-text">{percent}%</span>
              </div>
              <div class="actions">
                <button
                  type="button"
                  disabled={data.counts.failed === 0 || RUNNING.includes(data.status) || retry.busy}
                  onClick={() =>
                    void retry.run(async () => {
                      await invoke(`classification/batches/${id}/retry`, { method: 'POST', body: {} });
                      await batch.reload();
                    })
                  }
                >
                  Retry {data.counts.failed} failed
                </button>
                <button type="button" disabled={exporting.busy} onClick={() => exportAll('csv')}>
                  Export CSV
                </button>
                <button type="button" disabled={exporting.busy} onClick={() => exportAll('json')}>
                  Export JSON
                </button>
                <label>
                  Show{' '}
                  <select
                    value={status}
                    onChange={(e) => setStatus(e.currentTarget.value)}
                    aria-label="Filter results by status"
                  >
                    <option value="">all items</option>
                    <option value="completed">completed</option>
                    <option value="failed">failed</option>
                    <option value="pending">pending</option>
                  </select>
                </label>
              </div>
              <ErrorNote error={retry.error ?? exporting.error} />
              {data.summary && Object.keys(data.summary.categories).length > 0 && (
                <p class="hint">
                  {Object.entries(data.summary.categories)
                    .map(([name, count]) => `${name}: ${count}`)
                    .join(' · ')}
                </p>
              )}
              <table aria-label="Batch results">
                <thead>
                  <tr>
                    <th scope="col">Item</th>
                    <th scope="col">Key</th>
                    <th scope="col">Status</th>
                    <th scope="col">Category</th>
                    <th scope="col">Confidence</th>
                    <th scope="col">Error</th>
                  </tr>
                </thead>
                <tbody>
                  {(data.results?.items ?? []).map((item) => (
                    <Fragment key={item.id}>
                      <tr>
                        <td>
                          <button
                            type="button"
                            class="link"
                            aria-expanded={open === item.id}
                            onClick={() => setOpen(open === item.id ? undefined : item.id)}
                          >
                            #{item.itemIndex}
                          </button>
                        </td>
                        <td>{item.itemKey ?? '—'}</td>
                        <td>
                          <Badge status={item.status} />
                        </td>
                        <td>{item.category ?? '—'}</td>
                        <td>{item.confidence == null ? '—' : item.confidence.toFixed(3)}</td>
                        <td>{item.error ?? ''}</td>
                      </tr>
                      {open === item.id && (
                        <tr>
                          <td colSpan={6}>
                            <TraceTable trace={item.trace} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            </>
          );
        }}
      </States>
    </>
  );
}
