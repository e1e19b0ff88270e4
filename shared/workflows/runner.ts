// The durable step runner behind the `ai.execute_document_workflow` queue. One job advances one execution as
// far as it can; every decision is re-read from the database, so a job delivered twice, a job redelivered after
// its worker died, and a job that arrives after a pause all do the right thing.
import type { Database, Queryable } from '../db/database.ts';
import type { Logger } from '../http/logger.ts';
import { isNonRetriable } from '../http/retry.ts';
import { applyApprovalOutcome, applyDecidedApprovals, type EnqueueExecution } from './approval-outcome.ts';
import { findApprovalForStep } from './approval-store.ts';
import { type ConditionData, ConditionError, conditionHolds } from './conditions.ts';
import type { Step } from './definition.ts';
import { findDocument } from './effects-store.ts';
import {
  findExecution,
  lockExecution,
  recordStepContext,
  type TransitionFields,
  transitionExecution,
} from './execution-store.ts';
import { backoffDelay, resolvePolicy } from './retry-policy.ts';
import { errorMessage, type StepContext, type StepExecutors, type StepResult } from './step-executor.ts';
import { claimStep, listStepRuns, releaseForRetry, settleStep } from './step-run-store.ts';
import type { DocumentView, Execution, ExecutionStatus, StepRun } from './types.ts';

export interface RunnerDeps {
  db: Database;
  executors: StepExecutors;
  enqueue: EnqueueExecution;
  logger: Logger;
  /** Added to a step's timeout to form its lease: how long a silent worker is trusted before takeover. */
  leaseGraceSeconds?: number;
  random?: () => number;
}

/** How a run of the job ended: the execution's status, or why the job left it to a later job. */
export type RunOutcome = ExecutionStatus | 'missing' | 'deferred' | 'retrying';

const DONE = new Set(['completed', 'skipped']);

// The job that carries a decision over runs the execution on, so it sends no second job for it.
const continueHere: EnqueueExecution = async () => {};

/** Builds the job handler's core: `run(executionId)` advances the execution until it stops, waits or ends. */
export function createRunner(deps: RunnerDeps) {
  const grace = deps.leaseGraceSeconds ?? 15;
  const service = <T>(fn: (tx: Queryable) => Promise<T>) => deps.db.asService(fn);

  // Ends the step and the execution as failed; the caller's transaction holds the execution's row lock.
  async function fail(tx: Queryable, execution: Execution, step: Step, token: string, message: string) {
    await settleStep(tx, execution.id, step.id, token, { status: 'failed', error: message });
    const failed = await transitionExecution(
      tx,
      execution.id,
      ['queued', 'running', 'paused', 'waiting_approval'],
      'failed',
      { error: `step "${step.id}" failed: ${message}`, currentStepId: step.id },
    );
    return failed ? 'failed' : ((await findExecution(tx, execution.id))?.status ?? 'missing');
  }

  const failLocked = (execution: Execution, step: Step, token: string, message: string) =>
    service(async (tx) => {
      await findExecution(tx, execution.id, { lock: true });
      return fail(tx, execution, step, token, message);
    });

  async function runStep({
    execution,
    step,
    run,
    token,
    document,
    data,
  }: Claimed): Promise<RunOutcome | null> {
    const policy = resolvePolicy(step);
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`the step timed out after ${policy.timeoutSeconds} s`));
      }, policy.timeoutSeconds * 1000);
    });
    const context = {
      step,
      execution,
      document,
      data,
      attempt: run.attempts,
      signal: controller.signal,
      service,
    };
    let result: StepResult;
    try {
      const executor = deps.executors[step.type] as (context: StepContext) => Promise<StepResult>;
      result = await Promise.race([executor(context), timeout]);
    } catch (error) {
      const message = errorMessage(error);
      const retriable = !(isNonRetriable(error) || error instanceof ConditionError);
      if (!retriable || run.attempts >= policy.attempts) {
        const suffix = retriable ? ` (after ${run.attempts} attempt${run.attempts === 1 ? '' : 's'})` : '';
        return failLocked(execution, step, token, `${message}${suffix}`);
      }
      const delay = backoffDelay(policy, run.attempts, deps.random);
      await service(async (tx) => {
        const released = await releaseForRetry(tx, execution.id, step.id, token, message, delay);
        if (released) await deps.enqueue(tx, execution, { startAfter: released.nextAttemptAt });
      });
      deps.logger.warn('workflow step attempt failed', {
        executionId: execution.id,
        stepId: step.id,
        attempt: run.attempts,
        retryInSeconds: Math.round(delay * 10) / 10,
        error: message,
      });
      return 'retrying';
    } finally {
      clearTimeout(timer);
    }

    return service(async (tx) => {
      await findExecution(tx, execution.id, { lock: true });
      if (result.status === 'completed') {
        if (await settleStep(tx, execution.id, step.id, token, result)) {
          await recordStepContext(tx, execution.id, step.id, 'completed', result.output);
        }
        return null;
      }
      await settleStep(tx, execution.id, step.id, token, { status: 'waiting', output: result.output });
      // The approver may have decided while the step was being set up: carry that over now.
      const approval = await findApprovalForStep(tx, execution.id, step.id);
      if (approval && approval.status !== 'pending') {
        await applyApprovalOutcome(tx, approval, deps.enqueue);
        return null;
      }
      const waiting = await transitionExecution(tx, execution.id, ['running'], 'waiting_approval', {
        currentStepId: step.id,
      });
      return waiting ? 'waiting_approval' : null;
    });
  }

  type Claimed = {
    execution: Execution;
    step: Step;
    run: StepRun;
    token: string;
    document: DocumentView;
    data: ConditionData;
  };

  /**
   * Decides the execution's next move in one transaction holding its row lock (so it is ordered with pause,
   * cancel and approval decisions): start, finish, stop, defer, or claim the next step and read what it needs.
   */
  function decide(executionId: string): Promise<RunOutcome | Claimed | null> {
    return service(async (tx) => {
      const locked = await lockExecution(tx, executionId);
      if (!locked) return 'missing';
      const { execution, context } = locked;
      if (execution.status === 'waiting_approval' || execution.status === 'paused') {
        // A decision the approver took through the REST API enqueued this job (the resume_decided_approval
        // trigger): carry it over as the decision route does. This job goes on with the execution itself.
        const applied = await applyDecidedApprovals(tx, executionId, continueHere);
        return applied > 0 ? null : execution.status;
      }
      if (execution.status === 'queued') await transitionExecution(tx, executionId, ['queued'], 'running');
      else if (execution.status !== 'running') return execution.status;
      const move = (to: ExecutionStatus, fields?: TransitionFields) =>
        transitionExecution(tx, executionId, ['running'], to, fields).then(() => to);
      const now = Date.now();
      if (execution.expiresAt && Date.parse(execution.expiresAt) <= now) {
        return move('expired', { error: 'the execution passed its deadline before it finished' });
      }
      const ids = execution.definition.steps.map((s) => s.id);
      const byId = new Map((await listStepRuns(tx, executionId, ids)).map((run) => [run.stepId, run]));
      const step = execution.definition.steps.find((s) => !DONE.has(byId.get(s.id)?.status ?? 'pending'));
      if (!step) return move('completed');
      const run = byId.get(step.id);
      if (!run) throw new Error(`execution ${executionId} has no run for step ${step.id}`);
      if (run.status === 'failed') return move('failed', { error: run.error ?? 'step failed' });
      if (run.status === 'waiting') {
        if (await applyDecidedApprovals(tx, executionId, continueHere)) return null;
        return move('waiting_approval', { currentStepId: step.id });
      }
      const notBefore =
        run.status === 'running' ? run.leaseUntil : run.status === 'pending' ? run.nextAttemptAt : null;
      if (notBefore && Date.parse(notBefore) > now) {
        // Another worker holds the step, or its retry is not due: a later job picks the execution up then.
        await deps.enqueue(tx, execution, { startAfter: new Date(Date.parse(notBefore) + 250) });
        return 'deferred';
      }
      const token = crypto.randomUUID();
      const lease = resolvePolicy(step).timeoutSeconds + grace;
      const claim = await claimStep(tx, executionId, step.id, token, lease);
      if (!claim) return null;
      const document = await findDocument(tx, execution.userId, execution.documentId);
      if (!document) return fail(tx, execution, step, token, 'the document no longer exists');
      const data = { document, steps: context };
      let holds: boolean;
      try {
        holds = conditionHolds(step.condition, data);
      } catch (error) {
        return fail(tx, execution, step, token, `condition: ${errorMessage(error)}`);
      }
      if (holds) return { execution, step, run: claim, token, document, data };
      await settleStep(tx, executionId, step.id, token, { status: 'skipped' });
      await recordStepContext(tx, executionId, step.id, 'skipped', null);
      return null;
    });
  }

  /** One pass: settles the execution's next step or says why not. Null means "look again". */
  async function advance(executionId: string): Promise<RunOutcome | null> {
    const next = await decide(executionId);
    if (next === null || typeof next === 'string') return next;
    return runStep(next);
  }

  return {
    /** Advances one execution until it completes, stops (paused, waiting, final) or hands over to a later job. */
    async run(executionId: string, signal?: AbortSignal): Promise<RunOutcome> {
      for (let pass = 0; pass < 10_000; pass++) {
        // A stopping worker leaves between steps; its job is retried and picks up from the next step.
        signal?.throwIfAborted();
        const outcome = await advance(executionId);
        if (outcome !== null) return outcome;
      }
      throw new Error(`execution ${executionId} made no progress`);
    },
  };
}
