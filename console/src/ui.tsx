// Small shared pieces: the error, loading and empty states, confidence bars, status badges, times.
import type { ComponentChildren } from 'preact';
import type { ApiError } from './api.ts';

/** The API's message and its request id, announced to screen readers. */
export function ErrorNote({ error }: { error: ApiError | undefined }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      <strong>{error.message}</strong>
      {error.issues.length > 0 && (
        <ul>
          {error.issues.map((issue) => (
            <li key={issue.path + issue.message}>
              {issue.path ? <code>{issue.path}</code> : null} {issue.message}
            </li>
          ))}
        </ul>
      )}
      <div class="meta">
        {error.status ? `HTTP ${error.status}` : 'No answer'}
        {error.code ? ` · ${error.code}` : ''}
        {error.requestId ? (
          <>
            {' · request id '}
            <code>{error.requestId}</code>
          </>
        ) : null}
      </div>
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      {label}
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

/** Loading, error or empty, else the content. */
export function States<T>(props: {
  data: T | undefined;
  error: ApiError | undefined;
  empty?: (data: T) => boolean;
  emptyText?: ComponentChildren;
  children: (data: T) => ComponentChildren;
}) {
  if (props.error && props.data === undefined) return <ErrorNote error={props.error} />;
  if (props.data === undefined) return <Loading />;
  if (props.empty?.(props.data)) return <Empty>{props.emptyText ?? 'Nothing here yet.'}</Empty>;
  return (
    <>
      <ErrorNote error={props.error} />
      {props.children(props.data)}
    </>
  );
}

export function ConfidenceBar({ label, value }: { label: string; value: number }) {
  const percent = Math.round(value * 1000) / 10;
  return (
    <div class="bar-row">
      <span class="bar-label">{label}</span>
      <meter class="bar" aria-label={`${label} confidence`} min={0} max={1} value={value} />
      <span class="bar-value">{percent.toFixed(1)}%</span>
    </div>
  );
}

export function Badge({ status }: { status: string }) {
  return <span class={`badge badge-${status}`}>{status.replace(/_/g, ' ')}</span>;
}

export const formatTime = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');
export const formatMs = (ms: number | null | undefined) => (ms == null ? '—' : `${Math.round(ms)} ms`);
export const formatUsd = (usd: number) => `$${usd.toFixed(usd > 0 && usd < 0.01 ? 6 : 4)}`;

/** A labelled form control. */
export function Field(props: {
  label: string;
  id: string;
  hint?: string;
  error?: string;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && <small class="hint">{props.hint}</small>}
      {props.error && (
        <small class="field-error" role="alert">
          {props.error}
        </small>
      )}
    </div>
  );
}
