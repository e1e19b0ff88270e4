// Monitoring: GET /ai/metrics over 1h / 24h / 7d (the bucketed series drawn as charts, the per-operation and
// provider table, queue depth and age) and GET /ai/alerts.
import { useState } from 'preact/hooks';
import { invoke } from '../api.ts';
import { TimeChart } from '../chart.tsx';
import { useLoad } from '../hooks.ts';
import { Empty, formatMs, formatTime, formatUsd, States } from '../ui.tsx';

type Window = '1h' | '24h' | '7d';

interface Metrics {
  window: Window;
  since: string;
  until: string;
  totals: {
    calls: number;
    errors: number;
    errorRate: number;
    tokensIn: number;
    tokensOut: number;
    costUsd: number;
  };
  operations: {
    operation: string;
    provider: string;
    calls: number;
    errors: number;
    cached: number;
    errorRate: number;
    latencyMs: { p50: number | null; p95: number | null };
    tokensIn: number;
    tokensOut: number;
    costUsd: number;
  }[];
  queues: {
    queue: string;
    depth: number;
    active: number;
    oldestWaitingSeconds: number;
    failed: number;
    deadLettered: number;
  }[];
  series: {
    bucketSeconds: number;
    buckets: {
      start: string;
      calls: number;
      errors: number;
      errorRate: number;
      p50: number | null;
      p95: number | null;
      tokensIn: number;
      tokensOut: number;
      costUsd: number;
    }[];
  };
}

interface Alert {
  id: string;
  kind: string;
  subject: string;
  value: number;
  threshold: number;
  createdAt: string;
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const ms = (value: number) => `${Math.round(value)} ms`;
const usd = (value: number) => `$${value.toFixed(4)}`;

export function MonitoringPage() {
  const [window, setWindow] = useState<Window>('24h');
  const metrics = useLoad(() => invoke<Metrics>(`ai/metrics?window=${window}`), [window], {
    pollMs: 30_000,
    keepPolling: () => true,
  });
  const alerts = useLoad(() => invoke<{ alerts: Alert[] }>('ai/alerts?limit=20'), []);
  return (
    <>
      <h1>Monitoring</h1>
      <fieldset class="filters">
        <legend class="visually-hidden">Window</legend>
        {(['1h', '24h', '7d'] as const).map((value) => (
          <button
            key={value}
            type="button"
            class="chip"
            aria-pressed={window === value}
            onClick={() => setWindow(value)}
          >
            {value}
          </button>
        ))}
      </fieldset>
      <States data={metrics.data?.window === window ? metrics.data : undefined} error={metrics.error}>
        {(data) => <MetricsView data={data} />}
      </States>
      <h2>Alerts</h2>
      <States
        data={alerts.data}
        error={alerts.error}
        empty={(list) => list.alerts.length === 0}
        emptyText="No alerts."
      >
        {(list) => (
          <table aria-label="Alerts">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Kind</th>
                <th scope="col">Subject</th>
                <th scope="col">Value / threshold</th>
              </tr>
            </thead>
            <tbody>
              {list.alerts.map((alert) => (
                <tr key={alert.id}>
                  <td>{formatTime(alert.createdAt)}</td>
                  <td>{alert.kind.replace(/_/g, ' ')}</td>
                  <td>{alert.subject}</td>
                  <td>
                    {alert.value} / {alert.threshold}
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

function MetricsView({ data }: { data: Metrics }) {
  const buckets = data.series.buckets;
  const times = buckets.map((bucket) => Date.parse(bucket.start) / 1000);
  return (
    <>
      <div class="headline">
        <div>
          <div class="hint">Requests</div>
          <div class="big" data-testid="total-calls">
            {data.totals.calls}
          </div>
        </div>
        <div>
          <div class="hint">Error rate</div>
          <div class="big">{percent(data.totals.errorRate)}</div>
        </div>
        <div>
          <div class="hint">Tokens in / out</div>
          <div class="big">
            {data.totals.tokensIn} / {data.totals.tokensOut}
          </div>
        </div>
        <div>
          <div class="hint">Cost</div>
          <div class="big">{formatUsd(data.totals.costUsd)}</div>
        </div>
      </div>
      {data.totals.calls === 0 && (
        <Empty>No AI calls in this window yet: classify something and come back.</Empty>
      )}
      <div class="charts">
        <TimeChart
          title="Requests"
          times={times}
          series={[
            { label: 'calls', values: buckets.map((b) => b.calls), color: '#2c5fab' },
            { label: 'errors', values: buckets.map((b) => b.errors), color: '#b3362d' },
          ]}
        />
        <TimeChart
          title="Error rate"
          times={times}
          minTop={0.05}
          series={[
            {
              label: 'error rate',
              values: buckets.map((b) => b.errorRate),
              color: '#b3362d',
              format: percent,
            },
          ]}
        />
        <TimeChart
          title="Latency"
          times={times}
          series={[
            { label: 'p50', values: buckets.map((b) => b.p50), color: '#2f7d4f', format: ms },
            { label: 'p95', values: buckets.map((b) => b.p95), color: '#a8651c', format: ms },
          ]}
        />
        <TimeChart
          title="Tokens and cost"
          times={times}
          series={[
            { label: 'tokens', values: buckets.map((b) => b.tokensIn + b.tokensOut), color: '#7a3e9d' },
            {
              label: 'cost',
              values: buckets.map((b) => b.costUsd),
              color: '#a8651c',
              right: true,
              format: usd,
            },
          ]}
        />
      </div>
      <h2>Per operation and provider</h2>
      {data.operations.length === 0 ? (
        <Empty>No operations in this window.</Empty>
      ) : (
        <table aria-label="Per operation and provider">
          <thead>
            <tr>
              <th scope="col">Operation</th>
              <th scope="col">Provider</th>
              <th scope="col">Calls</th>
              <th scope="col">Errors</th>
              <th scope="col">Cached</th>
              <th scope="col">p50</th>
              <th scope="col">p95</th>
              <th scope="col">Tokens in / out</th>
              <th scope="col">Cost</th>
            </tr>
          </thead>
          <tbody>
            {data.operations.map((row) => (
              <tr key={`${row.operation}/${row.provider}`}>
                <td>{row.operation}</td>
                <td>{row.provider}</td>
                <td>{row.calls}</td>
                <td>
                  {row.errors} ({percent(row.errorRate)})
                </td>
                <td>{row.cached}</td>
                <td>{formatMs(row.latencyMs.p50)}</td>
                <td>{formatMs(row.latencyMs.p95)}</td>
                <td>
                  {row.tokensIn} / {row.tokensOut}
                </td>
                <td>{formatUsd(row.costUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Queues</h2>
      <QueueTable queues={data.queues} />
    </>
  );
}

function QueueTable({ queues }: { queues: Metrics['queues'] }) {
  const deepest = Math.max(1, ...queues.map((queue) => queue.depth));
  return (
    <table aria-label="Queues">
      <thead>
        <tr>
          <th scope="col">Queue</th>
          <th scope="col">Depth</th>
          <th scope="col">Active</th>
          <th scope="col">Oldest waiting</th>
          <th scope="col">Failed</th>
          <th scope="col">Dead letters</th>
        </tr>
      </thead>
      <tbody>
        {queues.map((queue) => (
          <tr key={queue.queue}>
            <td>{queue.queue}</td>
            <td>
              <div class="bar small" aria-hidden="true">
                <div class="bar-fill" style={{ width: `${(queue.depth / deepest) * 100}%` }} />
              </div>
              {queue.depth}
            </td>
            <td>{queue.active}</td>
            <td>{queue.oldestWaitingSeconds ? `${Math.round(queue.oldestWaitingSeconds)} s` : '—'}</td>
            <td>{queue.failed}</td>
            <td>{queue.deadLettered}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
