import { LogicEngine } from 'json-logic-engine';

/** A JsonLogic rule as stored in a workflow definition (plain JSON, interpreted, never compiled or eval'd). */
export type JsonLogic = unknown;

/** What conditions and routing rules see: the document and the recorded results of earlier steps. */
export interface ConditionData {
  document: Record<string, unknown>;
  steps: Record<string, { status: string; output: unknown }>;
}

// Limits for rules written by users: deep or huge rules are refused instead of exhausting the worker.
const engine = new LogicEngine(undefined, { maxDepth: 32, maxArrayLength: 10_000, maxStringLength: 100_000 });
const OPERATORS = new Set(Object.keys(engine.methods as Record<string, unknown>));
// Operators whose later arguments run with each item (or the piped value) as their data, not the root.
const SCOPED = new Set(['map', 'filter', 'reduce', 'all', 'some', 'none', 'every', 'pipe', 'eachKey']);
const MAX_NODES = 2_000;

/** A JsonLogic rule that cannot be evaluated (a bad rule, or one that failed on the data it was given). */
export class ConditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConditionError';
  }
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

  walk(logic, false);
  return [...new Set(problems)];
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'type' in error) return String((error as { type: unknown }).type);
  return String(error);
}

/** Evaluates a rule against the data; throws ConditionError when the rule fails instead of guessing. */
export function evaluateLogic(logic: JsonLogic, data: ConditionData): unknown {
  try {
    return engine.run(logic, data);
  } catch (error) {
    throw new ConditionError(`the rule could not be evaluated: ${describe(error)}`);
  }
}

/** True when a condition holds; an absent condition always holds. Truthiness follows JsonLogic's. */
export function conditionHolds(logic: JsonLogic | undefined, data: ConditionData): boolean {
  if (logic === undefined) return true;
  return Boolean(engine.truthy(evaluateLogic(logic, data)));
}
