import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../shared/db/database.ts';
import { createDocument, newUser, type TestUser } from '../support/harness.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import {
  api,
  startWorkflowWorker,
  type WorkflowWorker,
  waitForExecution,
} from '../support/workflows-harness.ts';

let stack: TestStack;
let worker: WorkflowWorker;
let db: Database;
let alice: TestUser;
let mallory: TestUser;
let workflowId: string;
let executionId: string;
let approvalId: string;
beforeAll(async () => {
  stack = await startTestStack();
  worker = await startWorkflowWorker(stack);
  db = createDatabase(stack.database.url);
  [alice, mallory] = await Promise.all([newUser(stack), newUser(stack)]);
  const workflow = await api(stack, alice, 'POST', '/workflows', {
    name: 'Private',
    steps: [
      { id: 'notify', type: 'notification', config: { title: 'Hello' } },
      { id: 'approve', type: 'approval' },
    ],
  });
  workflowId = workflow.body.id;
  const documentId = await createDocument(stack.database.url, alice.id, 'Confidential memo.');
  executionId = (await api(stack, alice, 'POST', `/workflows/${workflowId}/execute`, { documentId })).body
    .executionId;
  const waiting = await waitForExecution(stack, alice, executionId, ['waiting_approval']);
  approvalId = waiting.steps[1].output.approvalId;
});
afterAll(async () => {
  await worker.stop();
  await db.close();
  await stack.stop();
});

const asMallory = () => ({ role: 'authenticated' as const, sub: mallory.id });

describe("another user and someone else's executions", () => {
  it('cannot see them through the API', async () => {
    expect((await api(stack, mallory, 'GET', `/workflows/executions/${executionId}`)).status).toBe(404);
    expect((await api(stack, mallory, 'GET', '/workflows/executions')).body).toMatchObject({
      items: [],
      total: 0,
    });
    expect((await api(stack, mallory, 'GET', `/workflows/${workflowId}`)).status).toBe(404);
    expect((await api(stack, mallory, 'GET', '/workflows')).body.items).toEqual([]);
  });

  it('cannot drive them through the API, and nothing changes', async () => {
    for (const action of ['pause', 'resume', 'cancel']) {
      const response = await api(stack, mallory, 'POST', `/workflows/executions/${executionId}/${action}`);
      expect(response.status).toBe(404);
    }
    const mine = await createDocument(stack.database.url, mallory.id, 'Mine');
    const run = await api(stack, mallory, 'POST', `/workflows/${workflowId}/execute`, { documentId: mine });
    expect(run.status).toBe(404);
    expect(
      (
        await api(stack, mallory, 'POST', `/workflows/approvals/${approvalId}/decision`, {
          decision: 'approve',
        })
      ).status,
    ).toBe(404);
    const edit = await api(stack, mallory, 'PUT', `/workflows/${workflowId}`, {
      name: 'Hijacked',
      steps: [{ id: 'n', type: 'notification', config: { title: 'x' } }],
    });
    expect(edit.status).toBe(404);
    const detail = await api(stack, alice, 'GET', `/workflows/executions/${executionId}`);
    expect(detail.body).toMatchObject({ status: 'waiting_approval', definition: { name: 'Private' } });
  });

  it('cannot read them through RLS', async () => {
    const counts = await db.asUser(asMallory(), async (tx) => {
      const count = async (sql: string) => Number((await tx.query(sql, [executionId])).rows[0]!.count);
      return {
        executions: await count('select count(*) from workflow_executions where id = $1'),
        steps: await count('select count(*) from workflow_step_runs where execution_id = $1'),
        approvals: await count('select count(*) from workflow_approvals where execution_id = $1'),
        notifications: await count(`select count(*) from notifications where payload ->> 'executionId' = $1`),
      };
    });
    expect(counts).toEqual({ executions: 0, steps: 0, approvals: 0, notifications: 0 });
  });

  it('cannot change them through RLS', async () => {
    // Executions and step runs are the service's to write: no user has the privilege, on any row.
    for (const [sql, params] of [
      [`update workflow_executions set status = 'cancelled' where id = $1`, [executionId]],
      [`update workflow_step_runs set status = 'completed' where execution_id = $1`, [executionId]],
      [
        `insert into workflow_step_runs (user_id, execution_id, step_id, step_type) values ($1, $2, 'x', 'routing')`,
        [mallory.id, executionId],
      ],
    ] as const) {
      await expect(db.asUser(asMallory(), (tx) => tx.query(sql, [...params]))).rejects.toThrow(
        /permission denied/,
      );
    }
    // The approver's columns are granted, but RLS shows Mallory none of Alice's approvals.
    const approval = await db.asUser(asMallory(), async (tx) =>
      tx.query(`update workflow_approvals set status = 'approved', decided_by = $2 where id = $1`, [
        approvalId,
        mallory.id,
      ]),
    );
    expect(approval.rowCount).toBe(0);
    const detail = await api(stack, alice, 'GET', `/workflows/executions/${executionId}`);
    expect(detail.body.status).toBe('waiting_approval');
    expect(detail.body.steps.map((s: { stepId: string }) => s.stepId)).toEqual(['notify', 'approve']);
  });
});
