import type { Queryable } from '../db/database.ts';
import type { ConditionData } from './conditions.ts';
import type { Step, StepType } from './definition.ts';
import type { DocumentView, Execution } from './types.ts';

/** What one attempt of one step is given. */
export interface StepContext<S extends Step = Step> {
  step: S;
  execution: Execution;
  document: DocumentView;
  /** The document and the results of earlier steps, as conditions see them. */
  data: ConditionData;
  attempt: number;
  /** Aborted when the step's time budget runs out. */
  signal: AbortSignal;
  /**
   * Runs `fn` as the service role (workers act for the execution's owner, who is not signed in here).
   * Effects written through it must be keyed by (execution, step) so a repeated attempt does not repeat them.
   */
  service<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

/** A step either finishes with an output, or waits for someone (an approver) to finish it. */
export type StepResult = { status: 'completed'; output: unknown } | { status: 'waiting'; output?: unknown };

type StepExecutor<S extends Step = Step> = (context: StepContext<S>) => Promise<StepResult>;
export type StepExecutors = { [T in StepType]: StepExecutor<Extract<Step, { type: T }>> };

/** The message kept on a failed attempt: enough to act on, never a stack or a secret. */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 1000 ? `${message.slice(0, 1000)}…` : message;
}
