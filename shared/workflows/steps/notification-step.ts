import { insertNotificationOnce, stableUuid } from '../../db/notifications.ts';
import { NonRetriableError, retryDecision } from '../../http/retry.ts';
import type { StepOf } from '../definition.ts';
import type { StepContext, StepResult } from '../step-executor.ts';
import { webhookHeaders } from '../webhook-signature.ts';
import { assertPublicTarget, type ResolveHost, WebhookTargetError } from '../webhook-target.ts';

/**
 * Notification step: a `notifications` row the owner's frontend receives through Realtime, and optionally a
 * signed webhook. The row's id is derived from (execution, step), so a repeated attempt never adds a second
 * row, and the webhook carries that id as X-Webhook-Id: a delivery repeated after a crash has the same id.
 * The webhook goes only to a public address (or a host in `target.allowedHosts`), checked before each delivery.
 */
export function notificationStep(target: { allowedHosts?: readonly string[]; resolve?: ResolveHost } = {}) {
  return async function notify(context: StepContext<StepOf<'notification'>>): Promise<StepResult> {
    const { execution, step } = context;
    const id = await stableUuid(`workflow-notification:${execution.id}:${step.id}`);
    const payload = {
      executionId: execution.id,
      workflowId: execution.workflowId,
      workflowName: execution.definition.name,
      documentId: execution.documentId,
      stepId: step.id,
      steps: context.data.steps,
    };
    const stored = await context.service((tx) =>
      insertNotificationOnce(tx, {
        id,
        userId: execution.userId,
        kind: 'workflow.notification',
        title: step.config.title,
        body: step.config.message ?? null,
        payload,
      }),
    );
    const output: Record<string, unknown> = { notificationId: stored.id };
    const webhook = step.config.webhook;
    if (!webhook) return { status: 'completed', output };

    const body = JSON.stringify({
      id: stored.id,
      type: 'workflow.notification',
      createdAt: stored.createdAt,
      title: step.config.title,
      message: step.config.message ?? null,
      ...payload,
    });
    try {
      await assertPublicTarget(webhook.url, target.allowedHosts ?? [], target.resolve);
    } catch (error) {
      if (error instanceof WebhookTargetError && error.permanent) throw new NonRetriableError(error.message);
      throw error;
    }
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: await webhookHeaders(webhook.secret, stored.id, body),
      body,
      signal: context.signal,
      redirect: 'manual',
    });
    await response.body?.cancel();
    if (!response.ok) {
      const message = `the webhook answered ${response.status}`;
      // A redirect (never followed) will not change when the same request is sent again; nor will a 4xx the
      // rule in shared/http/retry.ts calls permanent. Server errors and network failures are retried.
      const redirect = response.status < 400;
      const permanent = redirect || retryDecision({ status: response.status }).kind === 'permanent';
      throw permanent ? new NonRetriableError(message) : new Error(message);
    }
    output.webhook = { status: response.status, deliveryId: stored.id };
    return { status: 'completed', output };
  };
}
