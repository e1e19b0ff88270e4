// The step list editor of a document workflow: ordered steps, each with its type, a JSON config and an optional
// JsonLogic condition; the API's validation errors appear under the step they belong to.
import type { Issue } from '../api.ts';
import { issuesAt, JsonField, jsonText, parseJson } from '../json-field.tsx';
import type { WorkflowStep } from '../types.ts';
import { Field } from '../ui.tsx';

export const STEP_TYPES = ['classification', 'analysis', 'routing', 'approval', 'notification'] as const;

const DEFAULT_CONFIG: Record<WorkflowStep['type'], Record<string, unknown>> = {
  classification: { categories: [{ name: 'contract' }, { name: 'invoice' }, { name: 'meeting notes' }] },
  analysis: { include: ['summary', 'action_items'] },
  routing: {
    rules: [
      {
        when: { '==': [{ var: 'steps.classify.output.category' }, 'contract'] },
        destination: { type: 'team', id: 'legal' },
      },
    ],
    fallback: { type: 'queue', id: 'inbox' },
  },
  approval: { instructions: 'Check the document before it goes on' },
  notification: { title: 'Workflow finished' },
};

/** One step being edited: plain fields plus JSON texts for config and condition. */
export interface StepDraft {
  key: number;
  id: string;
  name: string;
  type: WorkflowStep['type'];
  configText: string;
  conditionText: string;
}

let nextKey = 1;
const draftKey = () => nextKey++;

/** The step as the API takes it, or the first JSON error in it. */
export function stepFromDraft(draft: StepDraft): WorkflowStep | string {
  const config = parseJson(draft.configText);
  const condition = parseJson(draft.conditionText);
  if (config.error) return `Step ${draft.id}: config: ${config.error}`;
  if (condition.error) return `Step ${draft.id}: condition: ${condition.error}`;
  const step: WorkflowStep = {
    id: draft.id,
    type: draft.type,
    config: (config.value ?? {}) as Record<string, unknown>,
  };
  if (draft.name) step.name = draft.name;
  if (condition.value !== undefined) step.condition = condition.value;
  return step;
}

/** A draft of an existing step (or a new one of `type`). */
export function draftOf(step: Partial<WorkflowStep> & { type: WorkflowStep['type'] }): StepDraft {
  return {
    key: draftKey(),
    id: step.id ?? '',
    name: step.name ?? '',
    type: step.type,
    configText: jsonText(step.config ?? DEFAULT_CONFIG[step.type]),
    conditionText: jsonText(step.condition),
  };
}

/** The issues of step `index`, plus a message that names the step by id (conditions are checked on save). */
function stepProblem(issues: Issue[] | undefined, message: string | undefined, index: number, id: string) {
  const own = issuesAt(issues, `steps.${index}`);
  if (own) return own;
  if (message && id && new RegExp(`\\b${id.replace(/[^\w-]/g, '')}\\b`).test(message)) return message;
  return undefined;
}

export function StepEditor(props: {
  index: number;
  count: number;
  draft: StepDraft;
  onChange: (draft: StepDraft) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
  issues?: Issue[];
  message?: string;
}) {
  const { draft, index } = props;
  const prefix = `step-${draft.key}`;
  const problem = stepProblem(props.issues, props.message, index, draft.id);
  return (
    <li class="step card" aria-label={`Step ${index + 1}: ${draft.id || 'unnamed'}`}>
      <div class="row">
        <Field label="Step id" id={`${prefix}-id`} error={issuesAt(props.issues, `steps.${index}.id`)}>
          <input
            id={`${prefix}-id`}
            required
            value={draft.id}
            onInput={(e) => props.onChange({ ...draft, id: e.currentTarget.value })}
          />
        </Field>
        <Field label="Name" id={`${prefix}-name`}>
          <input
            id={`${prefix}-name`}
            value={draft.name}
            onInput={(e) => props.onChange({ ...draft, name: e.currentTarget.value })}
          />
        </Field>
        <Field label="Type" id={`${prefix}-type`}>
          <select
            id={`${prefix}-type`}
            value={draft.type}
            onChange={(e) => {
              const type = e.currentTarget.value as WorkflowStep['type'];
              props.onChange({ ...draft, type, configText: jsonText(DEFAULT_CONFIG[type]) });
            }}
          >
            {STEP_TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </Field>
        <div class="step-buttons">
          <button
            type="button"
            aria-label={`Move step ${index + 1} up`}
            disabled={index === 0}
            onClick={() => props.onMove(-1)}
          >
            ↑
          </button>
          <button
            type="button"
            aria-label={`Move step ${index + 1} down`}
            disabled={index === props.count - 1}
            onClick={() => props.onMove(1)}
          >
            ↓
          </button>
          <button
            type="button"
            aria-label={`Remove step ${index + 1}`}
            disabled={props.count === 1}
            onClick={props.onRemove}
          >
            ✕
          </button>
        </div>
      </div>
      <div class="row">
        <JsonField
          id={`${prefix}-config`}
          label="Config (JSON)"
          json={parseJson(draft.configText)}
          onText={(configText) => props.onChange({ ...draft, configText })}
          rows={5}
          issue={issuesAt(props.issues, `steps.${index}.config`)}
        />
        <JsonField
          id={`${prefix}-condition`}
          label="Condition (JsonLogic, optional)"
          json={parseJson(draft.conditionText)}
          onText={(conditionText) => props.onChange({ ...draft, conditionText })}
          rows={5}
          hint='e.g. {"==": [{"var": "steps.classify.output.category"}, "contract"]}'
          issue={issuesAt(props.issues, `steps.${index}.condition`)}
        />
      </div>
      {problem && (
        <p class="field-error" role="alert">
          {problem}
        </p>
      )}
    </li>
  );
}
