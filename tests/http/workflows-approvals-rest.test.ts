// An approver may decide through the REST API (supabase-js `.from('workflow_approvals').update(...)`, under the
// update policy) instead of the decision route: the decision must reach the execution all the same, once.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOwner, createDocument, eventually, newUser, type TestUser } from '../support/harness.ts';
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
beforeAll(async () => {
  stack = await startTestStack();
  worker = await startWorkflowWorker(stack);
  [owner, approver] = await Promise.all([newUser(stack), newUser(stack)]);
});
afterAll(async () => {
  await worker.stop();
  await stack.stop();
});

/** A supabase-js client whose REST requests carry the user's session token, as a signed-in client app's do. */
const restClient = (user: TestUser): SupabaseClient =>
  createClient(stack.url, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: { headers: { Authorization: `Bearer ${user.token}` } },
  });

/** Runs approval (by `approver`) → notification; resolves once the approval is waiting. */
async function waitingApproval() {
  const workflow = await api(stack, owner, 'POST', '/workflows', {
    name: 'Needs sign-off',
    steps: [
      { id: 'signoff', type: 'approval', config: { approverId: approver.id } },
      { id: 'notify', type: 'notification', config: { title: 'Signed off' } },
    ],
  });
  const documentId = await createDocument(stack.database.url, owner.id, 'Purchase order for 40 laptops.');
  const started = await api(stack, owner, 'POST', `/workflows/${workflow.body.id}/execute`, { documentId });
  const executionId = started.body.executionId as string;
  const waiting = await waitForExecution(stack, owner, executionId, ['waiting_approval']);
  return { executionId, approvalId: waiting.steps[0].output.approvalId as string };
}

/** The approver's own UPDATE through PostgREST (the stand-in at /rest/v1), as the table's grants allow. */
async function decideThroughRest(id: string, status: 'approved' | 'rejected', comment: string) {
  const { data, error } = await restClient(approver)
    .from('workflow_approvals')
    .update({ status, comment, decided_by: approver.id })
    .eq('id', id)
    .eq('status', 'pending')
    .select('id, status');
  expect(error).toBeNull();
  expect(data).toEqual([{ id, status }]);
}

/** The state and named user of each `ai.execute_document_workflow` job sent for one execution. */
const executionJobs = (executionId: string) =>
  asOwner(stack.database.url, async (db) =>
    (
      await db.query<{ state: string; user_id: string }>(
        `select state, data->>'userId' as user_id from pgboss.job
          where name = 'ai.execute_document_workflow' and data->>'executionId' = $1 order by created_on`,
        [executionId],
      )
    ).rows.map((row) => `${row.state} for ${row.user_id === owner.id ? 'the owner' : row.user_id}`),
  );

const notificationsOf = (executionId: string) =>
  asOwner(stack.database.url, async (db) =>
    Number(
      (
        await db.query<{ n: string }>(
          `select count(*) as n from notifications where payload->>'executionId' = $1`,
          [executionId],
        )
      ).rows[0]!.n,
    ),
  );

describe('an approval decided through the REST API', () => {
  it('approved: the execution goes on and completes, each step run once, with one job for the decision', async () => {
    const { executionId, approvalId } = await waitingApproval();
    await decideThroughRest(approvalId, 'approved', 'Fine by me');
    const done = await waitForExecution(stack, owner, executionId, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    expect(done.steps[0]).toMatchObject({
      status: 'completed',
      output: { approvalId, decision: 'approved', comment: 'Fine by me', decidedBy: approver.id },
    });
    expect(done.steps.map((s: { attempts: number }) => s.attempts)).toEqual([1, 1]);
    expect(await notificationsOf(executionId)).toBe(1);
    // The start's job, then the one the decision's trigger sent, which ran the execution to its end itself.
    expect(await executionJobs(executionId)).toEqual(['completed for the owner', 'completed for the owner']);
  });

  it('rejected: the execution ends as rejected with the comment and the next step never runs', async () => {
    const { executionId, approvalId } = await waitingApproval();
    await decideThroughRest(approvalId, 'rejected', 'Over budget');
    const done = await waitForExecution(stack, owner, executionId, ['rejected', 'completed', 'failed']);
    expect(done.status).toBe('rejected');
    expect(done.error).toBe('step "signoff" was rejected by its approver: Over budget');
    expect(done.steps.map((s: { status: string }) => s.status)).toEqual(['completed', 'pending']);
    expect(await notificationsOf(executionId)).toBe(0);
  });

  it('while the execution is paused: the step takes the decision, the execution stays paused until resumed', async () => {
    const { executionId, approvalId } = await waitingApproval();
    const paused = await api(stack, owner, 'POST', `/workflows/executions/${executionId}/pause`);
    expect(paused.body.status).toBe('paused');
    await decideThroughRest(approvalId, 'approved', 'Go ahead');
    const settled = await eventually(async () => {
      const { body } = await api(stack, owner, 'GET', `/workflows/executions/${executionId}`);
      return body.steps[0].status === 'completed' ? body : undefined;
    });
    expect(settled.status).toBe('paused');
    expect(settled.steps[0].output).toMatchObject({ decision: 'approved', comment: 'Go ahead' });
    expect((await api(stack, owner, 'POST', `/workflows/executions/${executionId}/resume`)).status).toBe(200);
    const done = await waitForExecution(stack, owner, executionId, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    expect(done.steps.map((s: { attempts: number }) => s.attempts)).toEqual([1, 1]);
  });

  it('the decision route sends no second job: it carries its decision over itself', async () => {
    const { executionId, approvalId } = await waitingApproval();
    const decided = await api(stack, approver, 'POST', `/workflows/approvals/${approvalId}/decision`, {
      decision: 'approve',
    });
    expect(decided.status).toBe(200);
    await waitForExecution(stack, owner, executionId, ['completed']);
    expect(await executionJobs(executionId)).toEqual(['completed for the owner', 'completed for the owner']);
  });

  it('a decision whose step still waits and whose job never came is carried over by the cleanup job', async () => {
    const { executionId, approvalId } = await waitingApproval();
    // Written as service_role outside the route: the trigger leaves it to the writer, who does nothing more,
    // as if the decision's job had been lost.
    await asOwner(stack.database.url, async (db) => {
      await db.query('begin');
      await db.query('set local role service_role');
      await db.query(
        `update workflow_approvals set status = 'approved', decided_by = $2 where id = $1 and status = 'pending'`,
        [approvalId, approver.id],
      );
      await db.query('commit');
    });
    expect((await api(stack, owner, 'GET', `/workflows/executions/${executionId}`)).body.status).toBe(
      'waiting_approval',
    );
    const summary = await runCleanupJob(stack);
    expect(summary.decisionsApplied).toBeGreaterThanOrEqual(1);
    const done = await waitForExecution(stack, owner, executionId, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    expect(done.steps[0].output).toMatchObject({ decision: 'approved', decidedBy: approver.id });
  });
});
