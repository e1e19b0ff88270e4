import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocument, eventually, newUser, type TestUser } from '../support/harness.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import {
  api,
  startWorkflowWorker,
  type WorkflowWorker,
  waitForExecution,
} from '../support/workflows-harness.ts';
import { type Receiver, startReceiver } from '../support/workflows-receiver.ts';

const SECRET = 'whsec_pause_tests_000001';
let stack: TestStack;
let worker: WorkflowWorker;
let receiver: Receiver;
let user: TestUser;
beforeAll(async () => {
  stack = await startTestStack();
  worker = await startWorkflowWorker(stack);
  receiver = await startReceiver(SECRET);
  user = await newUser(stack);
});
afterAll(async () => {
  await worker.stop();
  await receiver.close();
  await stack.stop();
});

async function start(steps: unknown[]) {
  const workflow = await api(stack, user, 'POST', '/workflows', { name: 'Pausable', steps });
  const documentId = await createDocument(stack.database.url, user.id, 'Quarterly report. Revenue grew.');
  const started = await api(stack, user, 'POST', `/workflows/${workflow.body.id}/execute`, { documentId });
  return started.body.executionId as string;
}

const statusOf = async (id: string) => (await api(stack, user, 'GET', `/workflows/executions/${id}`)).body;

describe('pause, resume and cancel', () => {
  it('finishes the step in flight, stops before the next, and resumes where it stopped', async () => {
    receiver.hold();
    const id = await start([
      {
        id: 'first',
        type: 'notification',
        config: { title: 'One', webhook: { url: receiver.url, secret: SECRET } },
      },
      { id: 'second', type: 'notification', config: { title: 'Two' } },
      { id: 'third', type: 'analysis', config: { include: ['summary'] } },
    ]);
    await receiver.waitForDeliveries(1);
    const paused = await api(stack, user, 'POST', `/workflows/executions/${id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
    receiver.release();

    const stopped = await eventually(async () => {
      const detail = await statusOf(id);
      return detail.steps[0].status === 'completed' ? detail : undefined;
    });
    // Give a worker every chance to (wrongly) start the next step.
    await new Promise((resolve) => setTimeout(resolve, 750));
    const still = await statusOf(id);
    expect(still.status).toBe('paused');
    expect(still.steps.map((s: { status: string }) => s.status)).toEqual(['completed', 'pending', 'pending']);
    expect(stopped.steps[0].attempts).toBe(1);

    const resumed = await api(stack, user, 'POST', `/workflows/executions/${id}/resume`);
    expect(resumed.status).toBe(200);
    const done = await waitForExecution(stack, user, id, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    expect(done.steps.map((s: { stepId: string; attempts: number }) => [s.stepId, s.attempts])).toEqual([
      ['first', 1],
      ['second', 1],
      ['third', 1],
    ]);
    expect(receiver.deliveries.filter((d) => d.body.executionId === id)).toHaveLength(1);
  });

  it('answers 409 with the current state for a transition the state does not allow', async () => {
    const id = await start([{ id: 'only', type: 'notification', config: { title: 'Hi' } }]);
    await waitForExecution(stack, user, id, ['completed']);
    for (const action of ['pause', 'resume', 'cancel']) {
      const response = await api(stack, user, 'POST', `/workflows/executions/${id}/${action}`);
      expect(response.status).toBe(409);
      expect(response.body.error).toMatchObject({
        code: 'conflict',
        message: `Cannot ${action} an execution that is completed`,
        issues: [{ path: 'status', message: 'completed' }],
      });
    }
  });

  it('refuses to pause twice and to resume what runs', async () => {
    const id = await start([{ id: 'wait', type: 'approval' }]);
    await waitForExecution(stack, user, id, ['waiting_approval']);
    expect((await api(stack, user, 'POST', `/workflows/executions/${id}/resume`)).status).toBe(409);
    expect((await api(stack, user, 'POST', `/workflows/executions/${id}/pause`)).status).toBe(200);
    const again = await api(stack, user, 'POST', `/workflows/executions/${id}/pause`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('Cannot pause an execution that is paused');
    // Resuming goes back to waiting for the approver, who has not decided yet.
    expect((await api(stack, user, 'POST', `/workflows/executions/${id}/resume`)).status).toBe(200);
    await waitForExecution(stack, user, id, ['waiting_approval']);
  });

  it('cancels a waiting execution and withdraws its approval', async () => {
    const id = await start([
      { id: 'wait', type: 'approval' },
      { id: 'after', type: 'notification', config: { title: 'Never' } },
    ]);
    await waitForExecution(stack, user, id, ['waiting_approval']);
    const inbox = await api(stack, user, 'GET', '/workflows/approvals');
    const approval = inbox.body.items.find((a: { executionId: string }) => a.executionId === id);
    const cancelled = await api(stack, user, 'POST', `/workflows/executions/${id}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    const after = await api(stack, user, 'GET', '/workflows/approvals');
    expect(after.body.items.map((a: { id: string }) => a.id)).not.toContain(approval.id);
    const decision = await api(stack, user, 'POST', `/workflows/approvals/${approval.id}/decision`, {
      decision: 'approve',
    });
    expect(decision.status).toBe(409);
    const detail = await statusOf(id);
    expect(detail.status).toBe('cancelled');
    expect(detail.steps[1].status).toBe('pending');
  });
});
