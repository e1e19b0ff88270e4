import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkLogic,
  evaluateLogic,
  LOGIC_BUDGET,
  LogicBudgetError,
  nestingDepth,
} from '../../shared/workflows/conditions.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const none = new Set<string>();

/** Nested reduce/merge over literal lists: the shape that held the process for 6.7 s before budgets. */
function nestedReduce(levels: number, width: number): unknown {
  let body: unknown = { merge: [{ var: 'accumulator' }, [{ var: 'current' }]] };
  for (let level = 0; level < levels; level++) body = { reduce: [range(width), body, []] };
  return body;
}
/** A `merge` that doubles its accumulator on every item: 2^n items from n. */
const doubling = (source: unknown) => ({
  reduce: [source, { merge: [{ var: 'accumulator' }, { var: 'accumulator' }] }, [1]],
});
const catDoubling = (source: unknown) => ({
  reduce: [source, { cat: [{ var: 'accumulator' }, { var: 'accumulator' }] }, 'ab'],
});

function timedRun(logic: unknown, document: Record<string, unknown> = {}) {
  const started = performance.now();
  let error: unknown;
  try {
    evaluateLogic(logic, { document, steps: {} });
  } catch (caught) {
    error = caught;
  }
  return { error, ms: performance.now() - started };
}

describe('JsonLogic under a budget', () => {
  it('refuses at save nested loops over literals whose cost is known to be too high', () => {
    const problems = checkLogic(nestedReduce(4, 100), none);
    expect(problems.join()).toMatch(/would run about [\d.]+e\+8 operations, more than its budget of 10000/);
  });

  it('refuses at save a doubling merge or cat over literals (found by a dry run)', () => {
    expect(checkLogic(doubling(range(30)), none).join()).toMatch(/over its budget: an array .* items/);
    expect(checkLogic(catDoubling(range(30)), none).join()).toMatch(
      /over its budget: a string .* characters/,
    );
  });

  it('refuses at save a rule nested deeper than the limit, without recursing into it', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = { '!': [deep] };
    expect(nestingDepth(deep)).toBe(20_000);
    expect(checkLogic(deep, none)).toEqual([`a rule may nest at most ${LOGIC_BUDGET.depth} levels deep`]);
  });

  it('stops at run time, within milliseconds, a bomb that depends on the data', () => {
    const items = range(10_000);
    const shapes: unknown[] = [
      doubling({ var: 'document.items' }),
      catDoubling({ var: 'document.items' }),
      { map: [{ var: 'document.grid' }, { map: [{ var: '' }, { '+': [{ var: '' }, 1] }] }] },
      { reduce: [{ var: 'document.items' }, { merge: [{ var: 'accumulator' }, [{ var: 'current' }]] }, []] },
      { or: range(30).map(() => ({ in: ['needle', { var: 'document.text' }] })) },
      { try: [doubling({ var: 'document.items' }), 'swallowed'] },
    ];
    // Each passes the save-time checks: its cost depends on what the document holds.
    for (const shape of shapes) expect(checkLogic(shape, none)).toEqual([]);
    for (const shape of shapes) {
      const { error, ms } = timedRun(shape, {
        items,
        grid: range(200).map(() => range(200)),
        text: 'hay '.repeat(25_000),
      });
      expect(error, JSON.stringify(shape) + String(error)).toBeInstanceOf(LogicBudgetError);
      expect((error as Error).message).toMatch(/the rule is over its budget/);
      expect(ms).toBeLessThan(LOGIC_BUDGET.ms + 100);
    }
  });

  it('still evaluates ordinary rules', () => {
    const data = { document: { title: 'Contract', tags: ['legal', 'q3'] }, steps: {} };
    expect(evaluateLogic({ in: ['legal', { var: 'document.tags' }] }, data)).toBe(true);
    expect(evaluateLogic({ map: [{ var: 'document.tags' }, { cat: [{ var: '' }, '!'] }] }, data)).toEqual([
      'legal!',
      'q3!',
    ]);
    // 2,500 inner iterations: within the budget.
    expect(evaluateLogic(nestedReduce(2, 50), data)).toHaveLength(50);
  });

  it('never lets a random rule run past the budget (property)', () => {
    const leaf = fc.oneof(
      fc.integer(),
      fc.constant({ var: 'accumulator' }),
      fc.constant({ var: 'document.items' }),
    );
    const rule = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.record({ merge: fc.array(tie('node'), { maxLength: 3 }) }),
        fc.record({ cat: fc.array(tie('node'), { maxLength: 3 }) }),
        fc.tuple(tie('node'), tie('node'), tie('node')).map(([a, b, c]) => ({ reduce: [a, b, c] })),
        fc.tuple(tie('node'), tie('node')).map(([a, b]) => ({ map: [a, b] })),
      ),
    })).node;
    fc.assert(
      fc.property(rule, (logic) => {
        const { ms } = timedRun(logic, { items: range(1_000) });
        return ms < LOGIC_BUDGET.ms + 100;
      }),
      { numRuns: 300 },
    );
  });
});
