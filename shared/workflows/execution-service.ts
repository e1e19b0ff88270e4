import type { UserClaims } from '../auth/claims.ts';
import type { Database } from '../db/database.ts';
import { conflict, notFound } from '../http/errors.ts';
import type { EnqueueExecution } from './approval-outcome.ts';
import { expireApproval, pendingApprovalIds } from './approval-store.ts';
import { documentExists } from './effects-store.ts';
import {
  type ExecutionFilter,
  findExecution,
  insertExecution,
  listExecutions,
  transitionExecution,
} from './execution-store.ts';
import { listStepRuns } from './step-run-store.ts';
import type { Execution, ExecutionStatus, StepRun } from './types.ts';
import { redactSteps } from './workflow-service.ts';
import { workflowDefinitions } from './workflow-store.ts';

const DEFAULT_EXECUTION_TTL_SECONDS = 7 * 86_400;

/** An execution as the API shows it (webhook secrets of its snapshot redacted). */
function presentExecution(execution: Execution): Execution {
  return {
    ...execution,
    definition: { ...execution.definition, steps: redactSteps(execution.definition.steps) },
  };
}

/** Why a transition was refused: 409 naming the state the execution is in. */
function refused(action: string, execution: Execution) {
  return conflict(`Cannot ${action} an execution that is ${execution.status}`, [
    { path: 'status', message: execution.status, code: 'invalid_state' },
  ]);
}

const TRANSITIONS: Record<'pause' | 'resume' | 'cancel', { from: ExecutionStatus[]; to: ExecutionStatus }> = {
  pause: { from: ['queued', 'running', 'waiting_approval'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  cancel: { from: ['queued', 'running', 'paused', 'waiting_approval'], to: 'cancelled' },
};

/** Executions of the signed-in user's workflows: listed and inspected under RLS, started and driven by the service. */
export function createExecutionService(deps: { db: Database; enqueue: EnqueueExecution }) {
  const { db, enqueue } = deps;
  return {
    /**
     * Starts a workflow's current version on a document: the execution, its pending steps and its job are
     * written in one transaction, so a job exists exactly when the execution does.
     */
    async execute(
      user: UserClaims,
      workflowId: string,
      input: { documentId: string; expiresInSeconds?: number },
    ): Promise<Execution> {
      // What the caller may start is read under RLS; the rows themselves are the service's (users write no
      // execution or step run), inserted for the caller's own workflow, whose composite keys keep the document
      // in the same tenant. The execution, its steps and its job are still one transaction.
      const workflow = await db.asUser(
        user,
        async (tx) => {
          const found = await workflowDefinitions.find(tx, workflowId);
          if (!found) throw notFound('Workflow');
          if (!found.isActive) throw conflict('The workflow is deactivated');
          if (!(await documentExists(tx, input.documentId))) throw notFound('Document');
          return found;
        },
        { readOnly: true },
      );
      const execution = await db.asService(async (tx) => {
        const created = await insertExecution(
          tx,
          workflow,
          input.documentId,
          input.expiresInSeconds ?? DEFAULT_EXECUTION_TTL_SECONDS,
        );
        await enqueue(tx, created);
        return created;
      });
      return presentExecution(execution);
    },

    /** The caller's executions, filtered and paginated. */
    list: (user: UserClaims, filter: ExecutionFilter) =>
      db
        .asUser(user, (tx) => listExecutions(tx, filter), { readOnly: true })
        .then((page) => ({ ...page, items: page.items.map(presentExecution) })),

    /** One execution with its step-by-step trace, or 404. */
    async get(user: UserClaims, id: string): Promise<Execution & { steps: StepRun[] }> {
      const found = await db.asUser(
        user,
        async (tx) => {
          const execution = await findExecution(tx, id);
          if (!execution) return undefined;
          const ids = execution.definition.steps.map((step) => step.id);
          return { execution, steps: await listStepRuns(tx, id, ids) };
        },
        { readOnly: true },
      );
      if (!found) throw notFound('Execution');
      return { ...presentExecution(found.execution), steps: found.steps };
    },

    /**
     * Pause, resume or cancel (compare-and-set). A pause lets the step in flight finish and stops before the
     * next one; resume re-enqueues the execution where it stopped; cancel ends it. Anything else is a 409.
     */
    async transition(
      user: UserClaims,
      id: string,
      action: 'pause' | 'resume' | 'cancel',
    ): Promise<Execution> {
      const { from, to } = TRANSITIONS[action];
      // An execution's status is the service's to write: the service role changes it, for the caller's own
      // execution only (ownerId), and on cancel withdraws its pending approval (the approver may be another
      // user) in the same transaction, so it leaves the approver's inbox.
      const execution = await db.asService(async (tx) => {
        const current = await findExecution(tx, id, { lock: true, ownerId: user.sub });
        if (!current) throw notFound('Execution');
        const changed = await transitionExecution(tx, id, from, to);
        if (!changed) throw refused(action, current);
        if (action === 'resume') await enqueue(tx, changed);
        if (action === 'cancel') {
          for (const approvalId of await pendingApprovalIds(tx, id))
            await expireApproval(tx, approvalId, true);
        }
        return changed;
      });
      return presentExecution(execution);
    },
  };
}

export type ExecutionService = ReturnType<typeof createExecutionService>;
