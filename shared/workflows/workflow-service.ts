import type { UserClaims } from '../auth/claims.ts';
import type { Database } from '../db/database.ts';
import { badRequest, conflict, notFound } from '../http/errors.ts';
import { nameableApprovers } from './approval-store.ts';
import type { Step, WorkflowInput } from './definition.ts';
import type { Workflow } from './types.ts';
import { literalPrivateHost } from './webhook-target.ts';
import { workflowDefinitions } from './workflow-store.ts';

/** Webhook secrets are write-only: every response shows that one is set, never its value. */
export function redactSteps(steps: Step[]): Step[] {
  return steps.map((step) =>
    step.type === 'notification' && step.config.webhook
      ? { ...step, config: { ...step.config, webhook: { ...step.config.webhook, secret: '[redacted]' } } }
      : step,
  );
}

/** A workflow as the API shows it. */
function presentWorkflow(workflow: Workflow): Workflow {
  return { ...workflow, steps: redactSteps(workflow.steps) };
}

/**
 * Refuses webhook URLs that point at a private address on their face (IP literal or localhost), with the
 * step's path, so the mistake shows when the workflow is saved rather than when it runs.
 */
function assertWebhookTargets(steps: Step[], allowedHosts: readonly string[]): void {
  const issues = steps.flatMap((step, index) => {
    if (step.type !== 'notification' || !step.config.webhook) return [];
    const host = literalPrivateHost(step.config.webhook.url, allowedHosts);
    return host
      ? [
          {
            path: `steps.${index}.config.webhook.url`,
            message: `the webhook host ${host} is private: only public addresses are allowed`,
            code: 'private_address',
          },
        ]
      : [];
  });
  if (issues.length) throw badRequest('A webhook URL points at a private address', issues);
}

/** The one answer for an approver that does not exist and one the caller may not name: they look the same. */
export const UNKNOWN_APPROVER = 'no user you may name as approver has this id';

/**
 * Refuses approval steps naming an approver who is neither the caller nor a user they may name (a signed-up,
 * non-anonymous account), with the same message whether the user is missing or may not be named.
 */
async function assertApprovers(db: Database, user: UserClaims, steps: Step[]): Promise<void> {
  const named = steps.flatMap((step, index) =>
    step.type === 'approval' && step.config.approverId && step.config.approverId !== user.sub
      ? [{ index, approverId: step.config.approverId }]
      : [],
  );
  if (named.length === 0) return;
  const ids = [...new Set(named.map((entry) => entry.approverId))];
  const nameable = await db.asService((tx) => nameableApprovers(tx, ids), { readOnly: true });
  const issues = named
    .filter((entry) => !nameable.has(entry.approverId))
    .map((entry) => ({
      path: `steps.${entry.index}.config.approverId`,
      message: UNKNOWN_APPROVER,
      code: 'unknown_approver',
    }));
  if (issues.length) throw badRequest('An approval step names an approver who cannot be named', issues);
}

/**
 * Workflow definitions of the signed-in user; every call runs under RLS. `webhookAllowedHosts` are the
 * private webhook hosts allowed anyway (WEBHOOK_ALLOWED_HOSTS).
 */
export function createWorkflowService(db: Database, webhookAllowedHosts: readonly string[] = []) {
  return {
    /** Stores a validated definition as version 1. */
    async create(user: UserClaims, input: WorkflowInput) {
      assertWebhookTargets(input.steps, webhookAllowedHosts);
      await assertApprovers(db, user, input.steps);
      return presentWorkflow(await db.asUser(user, (tx) => workflowDefinitions.insert(tx, input)));
    },

    /** The caller's workflows, newest first. */
    list: (user: UserClaims, options: { limit: number; offset: number; includeInactive: boolean }) =>
      db
        .asUser(user, (tx) => workflowDefinitions.list(tx, options), { readOnly: true })
        .then((page) => ({ ...page, items: page.items.map(presentWorkflow) })),

    /** One workflow, or 404. */
    async get(user: UserClaims, id: string): Promise<Workflow> {
      const workflow = await db.asUser(user, (tx) => workflowDefinitions.find(tx, id), { readOnly: true });
      if (!workflow) throw notFound('Workflow');
      return presentWorkflow(workflow);
    },

    /**
     * Saves a new version. Executions already started keep the version they snapshotted. With
     * `expectedVersion` a concurrent edit is a 409 instead of a lost update.
     */
    async update(user: UserClaims, id: string, input: WorkflowInput, expectedVersion?: number) {
      assertWebhookTargets(input.steps, webhookAllowedHosts);
      await assertApprovers(db, user, input.steps);
      return db.asUser(user, async (tx) => {
        const updated = await workflowDefinitions.update(tx, id, input, expectedVersion);
        if (updated) return presentWorkflow(updated);
        const current = await workflowDefinitions.find(tx, id);
        if (!current) throw notFound('Workflow');
        if (!current.isActive) throw conflict('The workflow is deactivated; create a new one instead');
        throw conflict(`The workflow is at version ${current.version}, not ${expectedVersion}`, [
          { path: 'version', message: `current version is ${current.version}`, code: 'stale_version' },
        ]);
      });
    },

    /** Deactivates a workflow: no new executions; running ones finish. Deactivating twice is harmless. */
    async deactivate(user: UserClaims, id: string): Promise<Workflow> {
      return db.asUser(user, async (tx) => {
        const workflow =
          (await workflowDefinitions.deactivate(tx, id)) ?? (await workflowDefinitions.find(tx, id));
        if (!workflow) throw notFound('Workflow');
        return presentWorkflow(workflow);
      });
    },
  };
}

export type WorkflowService = ReturnType<typeof createWorkflowService>;
