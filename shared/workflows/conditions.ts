import { LogicEngine } from 'json-logic-engine';

/** A JsonLogic rule as stored in a workflow definition (plain JSON, interpreted, never compiled or eval'd). */
export type JsonLogic = unknown;

/** What conditions and routing rules see: the document and the recorded results of earlier steps. */
export interface ConditionData {
  document: Record<string, unknown>;
  steps: Record<string, { status: string; output: unknown }>;
}

/**
 * What one evaluation of a user's rule may cost. Operations are counted as the interpreter runs them; every
 * array or string an operation builds or is handed counts towards `work` (so a loop over a long list or a
 * doubling `merge` is paid for by its size), and none may exceed its own cap. Depth bounds the rule's nesting
 * (checked at save) and what `reduce` builds (checked by the engine). `ms` is a backstop on the wall clock.
 */
export const LOGIC_BUDGET = {
  operations: 10_000,
  work: 2_000_000,
  arrayLength: 10_000,
  stringLength: 100_000,
  depth: 32,
  ms: 250,
} as const;

const MAX_NODES = 2_000;

/** A JsonLogic rule that cannot be evaluated (a bad rule, or one that failed on the data it was given). */
export class ConditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConditionError';
  }
}

/** A rule that went over its budget; never caught by the rule's own `try`, since the meter stays exceeded. */
export class LogicBudgetError extends ConditionError {
  constructor(message: string) {
    super(message);
    this.name = 'LogicBudgetError';
  }
}

// The meter of the evaluation under way. Evaluation is synchronous, so one module-level meter is safe.
interface Meter {
  operations: number;
  work: number;
  deadline: number;
  exceeded?: string;
}
let meter: Meter | undefined;

function over(reason: string): never {
  if (meter) meter.exceeded ??= reason;
  throw new LogicBudgetError(meter?.exceeded ?? reason);
}

function sizeOf(value: unknown, what: 'argument' | 'result'): number {
  if (typeof value === 'string') {
    if (value.length > LOGIC_BUDGET.stringLength)
      over(`a string ${what} of ${value.length} characters (at most ${LOGIC_BUDGET.stringLength})`);
    return value.length;
  }
  if (Array.isArray(value)) {
    if (value.length > LOGIC_BUDGET.arrayLength)
      over(`an array ${what} of ${value.length} items (at most ${LOGIC_BUDGET.arrayLength})`);
    return value.length;
  }
  return 0;
}

function charge(units: number, operation: boolean): void {
  if (!meter) return;
  if (meter.exceeded) over(meter.exceeded);
  if (operation) meter.operations++;
  meter.work += units;
  if (meter.operations > LOGIC_BUDGET.operations) over(`more than ${LOGIC_BUDGET.operations} operations`);
  if (meter.work > LOGIC_BUDGET.work)
    over(`more than ${LOGIC_BUDGET.work} units of work on arrays and strings`);
  if ((meter.operations & 0xff) === 0 && performance.now() > meter.deadline)
    over(`more than ${LOGIC_BUDGET.ms} ms`);
}

type Method = (args: unknown, context: unknown, above: unknown, engine: unknown) => unknown;

/** Wraps an operator so that every call is charged: one operation, plus the sizes of what it got and built. */
function metered(method: Method, lazy: boolean): Method {
  return (args, context, above, engine) => {
    let units = 1;
    if (!lazy && Array.isArray(args)) for (const arg of args) units += sizeOf(arg, 'argument');
    charge(units, true);
    const result = method(args, context, above, engine);
    charge(sizeOf(result, 'result'), false);
    return result;
  };
}

// The interpreter with every operator metered. Interpreted optimisation is off so that each operator call goes
// through the metered method (the optimiser would call cached closures instead).
const engine = new LogicEngine(undefined, {
  disableInterpretedOptimization: true,
  maxDepth: LOGIC_BUDGET.depth,
});
for (const [name, entry] of Object.entries(engine.methods as Record<string, unknown>)) {
  if (typeof entry === 'function') {
    engine.methods[name] = metered(entry as Method, false) as never;
  } else if (
    entry &&
    typeof entry === 'object' &&
    typeof (entry as { method?: unknown }).method === 'function'
  ) {
    const spec = entry as { method: Method; lazy?: boolean };
    // `compile` and friends are dropped: this engine only ever interprets.
    engine.methods[name] = { method: metered(spec.method, Boolean(spec.lazy)), lazy: spec.lazy } as never;
  }
}
const OPERATORS = new Set(Object.keys(engine.methods as Record<string, unknown>));
// Operators whose later arguments run with each item (or the piped value) as their data, not the root.
const SCOPED = new Set(['map', 'filter', 'reduce', 'all', 'some', 'none', 'every', 'pipe', 'eachKey']);
// Operators that run their body once per item of their first argument.
const LOOPS = new Set(['map', 'filter', 'reduce', 'all', 'some', 'none', 'every']);

/** The deepest nesting of arrays and objects in a value, found without recursion. */
export function nestingDepth(value: unknown, stopAt = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > stopAt) return deepest;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, here]);
  }
  return deepest;
}

/**
 * An upper estimate of the operations a rule runs, where that can be known before it runs: a loop over a literal
 * array multiplies its body's cost by the array's length, a loop over data counts its body once (the run-time
 * meter bounds that). Saturates at Infinity.
 */
function staticCost(node: unknown): number {
  if (node === null || typeof node !== 'object') return 0;
  if (Array.isArray(node)) return node.reduce<number>((sum, item) => sum + staticCost(item), 0);
  const [operator] = Object.keys(node);
  if (operator === undefined || operator === 'preserve') return 0;
  const raw = (node as Record<string, unknown>)[operator];
  const args = Array.isArray(raw) ? raw : [raw];
  if (LOOPS.has(operator)) {
    const source = args[0];
    const length = Array.isArray(source) ? Math.max(source.length, 1) : 1;
    return 1 + staticCost(source) + length * (1 + staticCost(args.slice(1)));
  }
  return 1 + staticCost(args);
}

/**
 * Checks a rule without running it: every operator must be known, every `var` path literal and rooted at
 * `document` or at `steps.<id>` of a step listed in `earlierSteps`. Returns the problems, empty when none.
 */
export function checkLogic(logic: JsonLogic, earlierSteps: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  let nodes = 0;

  const checkPath = (path: unknown) => {
    const segments =
      typeof path === 'string' ? (path === '' ? [] : path.split('.')) : Array.isArray(path) ? path : null;
    if (!segments?.every((s) => typeof s === 'string' || typeof s === 'number')) {
      problems.push('variable paths must be literal strings');
      return;
    }
    if (segments.length === 0) return;
    const [root, step] = segments.map(String);
    if (root === 'document') return;
    if (root !== 'steps') {
      problems.push(`variable "${segments.join('.')}" must start with "document." or "steps."`);
    } else if (step === undefined) {
      problems.push('variable "steps" must name a step, as in "steps.<id>.output"');
    } else if (!earlierSteps.has(step)) {
      problems.push(`variable "${segments.join('.')}" refers to step "${step}", which does not run earlier`);
    }
  };

  const walk = (node: unknown, scoped: boolean): void => {
    if (++nodes > MAX_NODES) {
      if (nodes === MAX_NODES + 1) problems.push(`a rule may have at most ${MAX_NODES} nodes`);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item, scoped);
      return;
    }
    const keys = Object.keys(node);
    if (keys.length !== 1) {
      problems.push(`a rule object must have exactly one operator, found ${keys.length} keys`);
      return;
    }
    const operator = keys[0]!;
    if (!OPERATORS.has(operator)) {
      problems.push(`unknown operator "${operator}"`);
      return;
    }
    const raw = (node as Record<string, unknown>)[operator];
    if (operator === 'preserve') return;
    const args = Array.isArray(raw) ? raw : [raw];
    if (operator === 'var' || operator === 'val') {
      const path = operator === 'var' ? args[0] : args;
      if (!scoped) checkPath(path ?? '');
      else if (path !== undefined && typeof path === 'object' && !Array.isArray(path)) walk(path, scoped);
      if (operator === 'var') walk(args.slice(1), scoped);
      return;
    }
    if (operator === 'missing' || operator === 'missing_some') {
      const paths = operator === 'missing' ? args : Array.isArray(args[1]) ? args[1] : [args[1]];
      if (!scoped) for (const path of paths) checkPath(path);
      return;
    }
    if (SCOPED.has(operator)) {
      walk(args[0], scoped);
      walk(args.slice(1), true);
      return;
    }
    walk(args, scoped);
  };

  const depth = nestingDepth(logic, LOGIC_BUDGET.depth);
  if (depth > LOGIC_BUDGET.depth) {
    problems.push(`a rule may nest at most ${LOGIC_BUDGET.depth} levels deep`);
    return problems;
  }
  walk(logic, false);
  if (problems.length) return [...new Set(problems)];
  const cost = staticCost(logic);
  if (cost > LOGIC_BUDGET.operations) {
    problems.push(
      `the rule would run about ${cost.toExponential(1)} operations, more than its budget of ${LOGIC_BUDGET.operations}`,
    );
    return problems;
  }
  // What does not depend on the data (literal arrays merged, strings concatenated) is found by a dry run.
  try {
    evaluateLogic(logic, { document: {}, steps: {} });
  } catch (error) {
    if (error instanceof LogicBudgetError) problems.push(error.message);
  }
  return problems;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'type' in error) return String((error as { type: unknown }).type);
  return String(error);
}

/**
 * Evaluates a rule against the data under LOGIC_BUDGET; throws LogicBudgetError when it goes over and
 * ConditionError when the rule fails, instead of guessing.
 */
export function evaluateLogic(logic: JsonLogic, data: ConditionData): unknown {
  const outer = meter;
  meter = { operations: 0, work: 0, deadline: performance.now() + LOGIC_BUDGET.ms };
  try {
    const result = engine.run(logic, data);
    if (meter.exceeded) over(meter.exceeded);
    return result;
  } catch (error) {
    if (meter?.exceeded) throw new LogicBudgetError(`the rule is over its budget: ${meter.exceeded}`);
    throw new ConditionError(`the rule could not be evaluated: ${describe(error)}`);
  } finally {
    meter = outer;
  }
}

/** True when a condition holds; an absent condition always holds. Truthiness follows JsonLogic's. */
export function conditionHolds(logic: JsonLogic | undefined, data: ConditionData): boolean {
  if (logic === undefined) return true;
  return Boolean(engine.truthy(evaluateLogic(logic, data)));
}
