import { describe, expect, it } from 'vitest';
import { checkLogic, conditionHolds, evaluateLogic } from '../../shared/workflows/conditions.ts';
import { WorkflowInputSchema } from '../../shared/workflows/definition.ts';

const classify = {
  id: 'classify',
  type: 'classification',
  config: { categories: [{ name: 'contract' }, { name: 'invoice' }] },
};
const notify = { id: 'notify', type: 'notification', config: { title: 'Done' } };

function problems(input: unknown): string[] {
  const result = WorkflowInputSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('workflow definitions', () => {
  it('accepts five step types with conditions on earlier steps and fills defaults', () => {
    const parsed = WorkflowInputSchema.parse({
      name: 'Contracts',
      steps: [
        classify,
        {
          id: 'analyse',
          type: 'analysis',
          condition: { '==': [{ var: 'steps.classify.output.category' }, 'x'] },
        },
        {
          id: 'route',
          type: 'routing',
          config: {
            rules: [
              {
                when: { '>': [{ var: 'steps.classify.output.confidence' }, 0.5] },
                destination: { type: 'team', id: 'legal' },
              },
            ],
          },
        },
        { id: 'approve', type: 'approval' },
        notify,
      ],
    });
    expect(parsed.steps.map((s) => s.type)).toEqual([
      'classification',
      'analysis',
      'routing',
      'approval',
      'notification',
    ]);
    expect(parsed.steps[1]).toMatchObject({
      config: { include: ['summary', 'key_points', 'action_items', 'risks'] },
    });
    expect(parsed.steps[3]).toMatchObject({ config: {} });
  });

  it('names an unknown step type', () => {
    expect(problems({ name: 'w', steps: [{ id: 'a', type: 'teleport', config: {} }] })).toEqual([
      'steps.0.type: unknown step type "teleport"; expected one of classification, analysis, routing, approval, notification',
    ]);
  });

  it('names a duplicate step id', () => {
    expect(problems({ name: 'w', steps: [notify, { ...notify }] })).toEqual([
      'steps.1.id: duplicate step id "notify"',
    ]);
  });

  it('names a condition that refers to a later step', () => {
    const early = { ...notify, condition: { '==': [{ var: 'steps.classify.output.category' }, 'contract'] } };
    expect(problems({ name: 'w', steps: [early, classify] })).toEqual([
      'steps.0.condition: variable "steps.classify.output.category" refers to step "classify", which does not run earlier',
    ]);
  });

  it('names a condition that refers to its own step', () => {
    const self = { ...notify, condition: { var: 'steps.notify.status' } };
    expect(problems({ name: 'w', steps: [self] })[0]).toMatch(/refers to step "notify"/);
  });

  it('names an unknown JsonLogic operator and a malformed rule object', () => {
    expect(problems({ name: 'w', steps: [{ ...notify, condition: { eval: ['1+1'] } }] })).toEqual([
      'steps.0.condition: unknown operator "eval"',
    ]);
    expect(problems({ name: 'w', steps: [{ ...notify, condition: { '==': 1, or: 2 } }] })[0]).toMatch(
      /exactly one operator/,
    );
  });

  it('checks routing rules like conditions', () => {
    const route = {
      id: 'route',
      type: 'routing',
      config: { rules: [{ when: { var: 'steps.later.output' }, destination: { type: 'queue', id: 'q' } }] },
    };
    expect(problems({ name: 'w', steps: [route] })[0]).toMatch(
      /^steps\.0\.config\.rules\.0\.when: .*"later"/,
    );
  });

  it('rejects a classification step with neither or both sources of categories', () => {
    expect(problems({ name: 'w', steps: [{ id: 'c', type: 'classification', config: {} }] })[0]).toMatch(
      /either classificationWorkflowId or categories/,
    );
  });

  it('requires a webhook secret long enough to sign with', () => {
    const hook = {
      ...notify,
      config: { title: 't', webhook: { url: 'https://example.test/h', secret: 'short' } },
    };
    expect(problems({ name: 'w', steps: [hook] })[0]).toMatch(/at least 16 characters/);
  });
});

describe('conditions', () => {
  const data = {
    document: { id: 'd', title: 'Lease', metadata: { pages: 3 } },
    steps: { classify: { status: 'completed', output: { category: 'contract', confidence: 0.9 } } },
  };

  it('evaluates JsonLogic over the document and earlier outputs', () => {
    expect(conditionHolds({ '==': [{ var: 'steps.classify.output.category' }, 'contract'] }, data)).toBe(
      true,
    );
    expect(conditionHolds({ '>': [{ var: 'document.metadata.pages' }, 5] }, data)).toBe(false);
    expect(conditionHolds(undefined, data)).toBe(true);
  });

  it('follows JsonLogic truthiness (an empty array is false)', () => {
    expect(conditionHolds({ filter: [[1, 2], { '>': [{ var: '' }, 5] }] }, data)).toBe(false);
  });

  it('does not check variables inside iterators against step names', () => {
    const rule = { some: [{ var: 'document.tags' }, { '==': [{ var: 'name' }, 'x'] }] };
    expect(checkLogic(rule, new Set())).toEqual([]);
  });

  it('reports a rule that fails at run time as a ConditionError', () => {
    expect(() => evaluateLogic({ '==': [{ var: 'document' }, { var: 'steps' }] }, data)).toThrow(
      /could not be evaluated/,
    );
  });

  it('refuses non-literal variable paths', () => {
    expect(checkLogic({ var: { cat: ['steps.', 'x'] } }, new Set())).toEqual([
      'variable paths must be literal strings',
    ]);
  });
});
