import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOwner, createDocument, newUser, type TestUser } from '../support/harness.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import {
  api,
  runCleanupJob,
  startWorkflowWorker,
  type WorkflowWorker,
  waitForExecution,
} from '../support/workflows-harness.ts';

let stack: TestStack;
let worker: WorkflowWorker;
let owner: TestUser;
let approver: TestUser;
let stranger: TestUser;
beforeAll(async () => {
  stack = await startTestStack();
  worker = await startWorkflowWorker(stack);
  [owner, approver, stranger] = await Promise.all([newUser(stack), newUser(stack), newUser(stack)]);
});
afterAll(async () => {
  await worker.stop();
  await stack.stop();
});

/** Runs approval → notification with the given approval config; resolves once the approval is waiting. */
async function waitingApproval(config: Record<string, unknown>, expiresInSeconds?: number) {
  const workflow = await api(stack, owner, 'POST', '/workflows', {
    name: 'Needs sign-off',
    steps: [
      { id: 'signoff', type: 'approval', config },
      { id: 'notify', type: 'notification', config: { title: 'Signed off' } },
    ],
  });
  const documentId = await createDocument(stack.database.url, owner.id, 'Purchase order for 40 laptops.');
  const started = await api(stack, owner, 'POST', `/workflows/${workflow.body.id}/execute`, {
    documentId,
    expiresInSeconds,
  });
  const executionId = started.body.executionId as string;
  const waiting = await waitForExecution(stack, owner, executionId, ['waiting_approval']);
  return { executionId, approvalId: waiting.steps[0].output.approvalId as string };
}

const decide = (user: TestUser, id: string, decision: string, comment?: string) =>
  api(stack, user, 'POST', `/workflows/approvals/${id}/decision`, { decision, comment });

const approvalRow = (id: string) =>
  asOwner(
    stack.database.url,
    async (db) => (await db.query('select * from workflow_approvals where id = $1', [id])).rows[0],
  );

describe('approvals', () => {
  it('lets the named approver approve; the execution then completes', async () => {
    const { executionId, approvalId } = await waitingApproval({
      approverId: approver.id,
      instructions: 'OK?',
    });
    const inbox = await api(stack, approver, 'GET', '/workflows/approvals');
    expect(inbox.body.items).toEqual([
      expect.objectContaining({ id: approvalId, executionId, instructions: 'OK?', status: 'pending' }),
    ]);
    expect((await api(stack, owner, 'GET', '/workflows/approvals')).body.items).toEqual([]);

    const approved = await decide(approver, approvalId, 'approve', 'Fine by me');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      changed: true,
      approval: { status: 'approved', decidedBy: approver.id },
    });
    const done = await waitForExecution(stack, owner, executionId, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    expect(done.steps[0].output).toMatchObject({ decision: 'approved', comment: 'Fine by me' });
  });

  it('treats the same decision twice as harmless and a different one as a 409', async () => {
    const { executionId, approvalId } = await waitingApproval({ approverId: approver.id });
    expect((await decide(approver, approvalId, 'approve')).body.changed).toBe(true);
    const again = await decide(approver, approvalId, 'approve');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ changed: false, approval: { status: 'approved' } });
    const flip = await decide(approver, approvalId, 'reject');
    expect(flip.status).toBe(409);
    expect(flip.body.error.message).toBe('The approval was already approved');
    const done = await waitForExecution(stack, owner, executionId, ['completed', 'failed']);
    expect(done.steps.map((s: { attempts: number }) => s.attempts)).toEqual([1, 1]);
  });

  it('ends the execution as rejected when the approver rejects', async () => {
    const { executionId, approvalId } = await waitingApproval({});
    const rejected = await decide(owner, approvalId, 'reject', 'Over budget');
    expect(rejected.body.approval.status).toBe('rejected');
    const done = await waitForExecution(stack, owner, executionId, ['rejected']);
    expect(done.error).toBe('step "signoff" was rejected by its approver: Over budget');
    expect(done.steps.map((s: { status: string }) => s.status)).toEqual(['completed', 'pending']);
  });

  it('refuses a user who is not the approver and changes nothing (403 for the owner, 404 for a stranger)', async () => {
    const { executionId, approvalId } = await waitingApproval({ approverId: approver.id });
    const byOwner = await decide(owner, approvalId, 'approve');
    expect(byOwner.status).toBe(403);
    const byStranger = await decide(stranger, approvalId, 'approve');
    expect(byStranger.status).toBe(404);
    expect((await api(stack, stranger, 'GET', '/workflows/approvals')).body.items).toEqual([]);
    expect(await approvalRow(approvalId)).toMatchObject({ status: 'pending', decided_by: null });
    expect((await api(stack, owner, 'GET', `/workflows/executions/${executionId}`)).body.status).toBe(
      'waiting_approval',
    );
  });

  it('expires an approval past its deadline: the execution ends as expired and deciding is a 409', async () => {
    const { executionId, approvalId } = await waitingApproval({
      approverId: approver.id,
      expiresInSeconds: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const inbox = await api(stack, approver, 'GET', '/workflows/approvals');
    expect(inbox.body.items.map((a: { id: string }) => a.id)).not.toContain(approvalId);
    const summary = await runCleanupJob(stack);
    expect(summary.approvalsExpired).toBeGreaterThanOrEqual(1);
    const done = await waitForExecution(stack, owner, executionId, ['expired']);
    expect(done.error).toBe('approval of step "signoff" expired');
    expect(done.steps[0]).toMatchObject({
      status: 'failed',
      error: 'the approval expired before anyone decided',
    });
    const late = await decide(approver, approvalId, 'approve');
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe('The approval has expired');
  });

  it('expires a whole execution past its deadline and withdraws its approval', async () => {
    const { executionId, approvalId } = await waitingApproval({ approverId: approver.id }, 1);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await runCleanupJob(stack);
    const done = await waitForExecution(stack, owner, executionId, ['expired']);
    expect(done.error).toBe('the execution passed its deadline before it finished');
    expect(await approvalRow(approvalId)).toMatchObject({ status: 'expired' });
  });

  it('records one of two simultaneous identical decisions and answers both with 200', async () => {
    const { executionId, approvalId } = await waitingApproval({});
    const [a, b] = await Promise.all([
      decide(owner, approvalId, 'approve'),
      decide(owner, approvalId, 'approve'),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.changed, b.body.changed].sort()).toEqual([false, true]);
    await waitForExecution(stack, owner, executionId, ['completed']);
  });
});
