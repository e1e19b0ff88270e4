// What one tenant can learn about, or leave behind in, another's work: metrics, approvers, data rights.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOwner, createDocument, newUser, type TestUser } from '../support/harness.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import {
  api,
  startWorkflowWorker,
  type WorkflowWorker,
  waitForExecution,
} from '../support/workflows-harness.ts';

let stack: TestStack;
let worker: WorkflowWorker | undefined;
let alice: TestUser;
let bob: TestUser;
let anonymous: TestUser;
beforeAll(async () => {
  stack = await startTestStack();
  [alice, bob, anonymous] = await Promise.all([newUser(stack), newUser(stack), newUser(stack)]);
  await asOwner(stack.database.url, (db) =>
    db.query('update auth.users set is_anonymous = true where id = $1', [anonymous.id]),
  );
});
afterAll(async () => {
  await worker?.stop();
  await stack.stop();
});

const queuedJobsOf = (userId: string) =>
  asOwner(stack.database.url, async (db) =>
    Number(
      (await db.query(`select count(*) from pgboss.job where data->>'userId' = $1`, [userId])).rows[0].count,
    ),
  );

describe('GET /ai/metrics', () => {
  it("shows a user only their own jobs in each queue; the service role sees every tenant's", async () => {
    // Alice's batch is queued (no worker runs its queue in this test): one job naming her.
    const batch = await api(stack, alice, 'POST', '/classification/batch', {
      documents: [{ text: 'an invoice for March' }],
      categories: [{ name: 'billing' }, { name: 'support' }],
      stages: [{ type: 'rules' }],
    });
    expect(batch.status).toBe(202);
    const queue = (body: { queues: { queue: string; depth: number }[] }) =>
      body.queues.find((q) => q.queue === 'ai.process_classification_batch')?.depth;
    const forBob = await api(stack, bob, 'GET', '/ai/metrics');
    expect(forBob.status).toBe(200);
    expect(forBob.body.scope).toBe('user');
    expect(queue(forBob.body)).toBe(0);
    expect(queue((await api(stack, alice, 'GET', '/ai/metrics')).body)).toBe(1);
    const operator = await api(stack, { id: '', token: stack.serviceKey }, 'GET', '/ai/metrics');
    expect(operator.body.scope).toBe('all');
    expect(queue(operator.body)).toBeGreaterThanOrEqual(1);
  });
});

describe('approvers', () => {
  const workflowNaming = (approverId: string) => ({
    name: `Sign-off ${randomUUID().slice(0, 8)}`,
    steps: [{ id: 'signoff', type: 'approval', config: { approverId } }],
  });

  it('answers a missing approver and one that may not be named with the same 400', async () => {
    const missing = await api(stack, alice, 'POST', '/workflows', workflowNaming(randomUUID()));
    const notNameable = await api(stack, alice, 'POST', '/workflows', workflowNaming(anonymous.id));
    expect(missing.status).toBe(400);
    expect(notNameable.status).toBe(400);
    const strip = (body: { error: { requestId?: string } }) => ({ ...body.error, requestId: undefined });
    expect(strip(missing.body)).toEqual(strip(notNameable.body));
    expect(missing.body.error.issues).toEqual([
      {
        path: 'steps.0.config.approverId',
        message: 'no user you may name as approver has this id',
        code: 'unknown_approver',
      },
    ]);
  });

  it('fails the step with the same words when the approver became unnameable after the workflow was saved', async () => {
    worker = await startWorkflowWorker(stack);
    const saved = await api(stack, alice, 'POST', '/workflows', workflowNaming(bob.id));
    expect(saved.status).toBe(201);
    const gone = await newUser(stack);
    const other = await api(stack, alice, 'POST', '/workflows', workflowNaming(gone.id));
    expect(other.status).toBe(201);
    await asOwner(stack.database.url, (db) =>
      db.query('update auth.users set is_anonymous = true where id = $1', [gone.id]),
    );
    const documentId = await createDocument(stack.database.url, alice.id, 'Purchase order.');
    const started = await api(stack, alice, 'POST', `/workflows/${other.body.id}/execute`, { documentId });
    const failed = await waitForExecution(stack, alice, started.body.executionId, ['failed']);
    expect(failed.error).toBe(
      'step "signoff" failed: approval step: no user you may name as approver has this id',
    );
  });

  it('shows an approver other than the owner who asked, and exports their decision', async () => {
    worker ??= await startWorkflowWorker(stack);
    const saved = await api(stack, alice, 'POST', '/workflows', workflowNaming(bob.id));
    const documentId = await createDocument(stack.database.url, alice.id, 'Contract renewal.');
    const started = await api(stack, alice, 'POST', `/workflows/${saved.body.id}/execute`, { documentId });
    await waitForExecution(stack, alice, started.body.executionId, ['waiting_approval']);
    const inbox = await api(stack, bob, 'GET', '/workflows/approvals');
    const [approval] = inbox.body.items;
    expect(approval.requestedBy).toEqual({ userId: alice.id, email: `${alice.id}@example.test` });
    const decided = await api(stack, bob, 'POST', `/workflows/approvals/${approval.id}/decision`, {
      decision: 'approve',
      comment: 'ok from bob',
    });
    expect(decided.body.approval.requestedBy.userId).toBe(alice.id);

    const exported = await api(stack, bob, 'GET', '/ai/me/export');
    expect(exported.status).toBe(200);
    expect(exported.body.decisionsForOthers).toEqual([
      expect.objectContaining({
        approvalId: approval.id,
        requestedBy: alice.id,
        decision: 'approved',
        comment: 'ok from bob',
      }),
    ]);
    // The row is Alice's: it is not among Bob's tables.
    expect(exported.body.tables.workflow_approvals ?? []).toEqual([]);
  });
});

describe('DELETE /ai/me/data', () => {
  it("removes the user's job payloads in every state, and no one else's", async () => {
    const carol = await newUser(stack);
    for (const user of [carol, bob]) {
      await api(stack, user, 'POST', '/classification/batch', {
        documents: [{ text: 'private text' }],
        categories: [{ name: 'a' }, { name: 'b' }],
        stages: [{ type: 'rules' }],
      });
    }
    // One completed and one dead-lettered job of Carol's, as pg-boss keeps them after they ran.
    await asOwner(stack.database.url, async (db) => {
      await db.query(
        `insert into pgboss.job (name, data, state, completed_on) values
           ('ai.process_ai_analysis', $1, 'completed', now()),
           ('ai.process_ai_analysis.dead', $1, 'created', null)`,
        [JSON.stringify({ userId: carol.id, documentId: randomUUID() })],
      );
    });
    expect(await queuedJobsOf(carol.id)).toBe(3);
    const bobBefore = await queuedJobsOf(bob.id);

    const deleted = await api(stack, carol, 'DELETE', '/ai/me/data');
    expect(deleted.status).toBe(200);
    expect(deleted.body.jobsDeleted).toBe(3);
    expect(await queuedJobsOf(carol.id)).toBe(0);
    expect(await queuedJobsOf(bob.id)).toBe(bobBefore);
  });
});
