// A JSON editor: a textarea that parses as you type and shows the parse error, or the API's issues for its path.
import { useState } from 'preact/hooks';
import { Field } from './ui.tsx';

export interface JsonText {
  text: string;
  value: unknown;
  error?: string;
}

/** Parses a JSON text; an empty text is `undefined`. */
export function parseJson(text: string): JsonText {
  if (!text.trim()) return { text, value: undefined };
  try {
    return { text, value: JSON.parse(text) };
  } catch (caught) {
    return {
      text,
      value: undefined,
      error: `Not valid JSON: ${caught instanceof Error ? caught.message : String(caught)}`,
    };
  }
}

export const jsonText = (value: unknown) => (value === undefined ? '' : JSON.stringify(value, null, 2));

/** A JSON text in component state. */
export function useJson(initial: unknown) {
  const [text, setText] = useState(jsonText(initial));
  return { ...parseJson(text), setText };
}

export function JsonField(props: {
  id: string;
  label: string;
  json: JsonText;
  onText: (text: string) => void;
  rows?: number;
  hint?: string;
  issue?: string;
}) {
  return (
    <Field label={props.label} id={props.id} hint={props.hint} error={props.json.error ?? props.issue}>
      <textarea
        id={props.id}
        class="code"
        spellcheck={false}
        rows={props.rows ?? 6}
        value={props.json.text}
        aria-invalid={props.json.error || props.issue ? true : undefined}
        onInput={(e) => props.onText(e.currentTarget.value)}
      />
    </Field>
  );
}

/** The API's issues whose path starts with `prefix` (e.g. "steps.2"), joined for display. */
export function issuesAt(
  issues: { path: string; message: string }[] | undefined,
  prefix: string,
): string | undefined {
  const matching = (issues ?? []).filter(
    (issue) => issue.path === prefix || issue.path.startsWith(`${prefix}.`),
  );
  return matching.length ? matching.map((issue) => `${issue.path}: ${issue.message}`).join('; ') : undefined;
}
