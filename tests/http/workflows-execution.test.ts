import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOwner, createDocument, newUser, type TestUser } from '../support/harness.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import {
  api,
  startWorkflowWorker,
  type WorkflowWorker,
  waitForExecution,
} from '../support/workflows-harness.ts';
import { type Receiver, startReceiver } from '../support/workflows-receiver.ts';

const SECRET = 'whsec_execution_tests_0001';
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

const category = (name: string) => ({ '==': [{ var: 'steps.classify.output.category' }, name] });

function fiveSteps(webhookUrl: string) {
  return [
    {
      id: 'classify',
      type: 'classification',
      config: {
        categories: [
          { name: 'contract', keywords: ['agreement', 'party', 'term'] },
          { name: 'invoice', keywords: ['invoice', 'amount', 'due'] },
        ],
      },
    },
    { id: 'analyse', type: 'analysis', condition: category('invoice') },
    {
      id: 'route',
      type: 'routing',
      condition: { '>': [{ var: 'steps.classify.output.confidence' }, 0] },
      config: {
        rules: [{ when: category('contract'), destination: { type: 'team', id: 'legal' } }],
        fallback: { type: 'queue', id: 'general' },
      },
    },
    { id: 'approve', type: 'approval', config: { instructions: 'Check the parties' } },
    {
      id: 'notify',
      type: 'notification',
      condition: { '==': [{ var: 'steps.route.output.routedTo' }, 'team:legal'] },
      config: {
        title: 'Contract routed',
        message: 'Sent to legal',
        webhook: { url: webhookUrl, secret: SECRET },
      },
    },
  ];
}

async function start(
  steps: unknown[],
  content = 'This agreement binds each party for a term of two years.',
  title = 'Master agreement',
) {
  const workflow = await api(stack, user, 'POST', '/workflows', { name: 'Flow', steps });
  expect(workflow.status).toBe(201);
  const documentId = await createDocument(stack.database.url, user.id, content, title);
  const started = await api(stack, user, 'POST', `/workflows/${workflow.body.id}/execute`, { documentId });
  expect(started.status).toBe(202);
  return {
    workflowId: workflow.body.id as string,
    documentId,
    executionId: started.body.executionId as string,
  };
}

describe('a five-step workflow', () => {
  it('runs end to end: skips a step by condition, takes another, waits for approval and notifies', async () => {
    const { executionId, documentId, workflowId } = await start(fiveSteps(receiver.url));
    const waiting = await waitForExecution(stack, user, executionId, ['waiting_approval']);
    expect(waiting.steps.map((s: { status: string }) => s.status)).toEqual([
      'completed',
      'skipped',
      'completed',
      'waiting',
      'pending',
    ]);
    const inbox = await api(stack, user, 'GET', '/workflows/approvals');
    const approval = inbox.body.items.find((a: { executionId: string }) => a.executionId === executionId);
    expect(approval).toMatchObject({ instructions: 'Check the parties', workflowName: 'Flow' });
    const decided = await api(stack, user, 'POST', `/workflows/approvals/${approval.id}/decision`, {
      decision: 'approve',
      comment: 'Looks right',
    });
    expect(decided.status).toBe(200);

    const done = await waitForExecution(stack, user, executionId, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    const byId = Object.fromEntries(done.steps.map((s: { stepId: string }) => [s.stepId, s]));
    expect(byId.classify).toMatchObject({
      status: 'completed',
      attempts: 1,
      output: { category: 'contract' },
    });
    expect(byId.analyse).toMatchObject({ status: 'skipped', output: null });
    expect(byId.route).toMatchObject({ status: 'completed', output: { routedTo: 'team:legal', rule: 0 } });
    expect(byId.approve).toMatchObject({
      status: 'completed',
      output: { decision: 'approved', comment: 'Looks right' },
    });
    expect(byId.notify.status).toBe('completed');
    for (const step of done.steps)
      if (step.status === 'completed') expect(step.durationMs).toBeGreaterThanOrEqual(0);

    const { document, notifications } = await asOwner(stack.database.url, async (db) => ({
      document: (await db.query('select routed_to, routing from documents where id = $1', [documentId]))
        .rows[0],
      notifications: (
        await db.query('select id, title, kind, payload from notifications where user_id = $1', [user.id])
      ).rows,
    }));
    expect(document).toMatchObject({ routed_to: 'team:legal', routing: { executionId, workflowId } });
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ title: 'Contract routed', kind: 'workflow.notification' });
    const deliveries = receiver.deliveries.filter((d) => d.body.executionId === executionId);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ id: notifications[0].id, signatureValid: true });
  });

  it('takes the fallback route and skips the notification whose condition fails', async () => {
    const { executionId } = await start(
      fiveSteps(receiver.url).filter((s) => s.id !== 'approve'),
      'The amount due is 1,200 USD, payable within thirty days of the invoice date.',
      'Invoice 4411',
    );
    const done = await waitForExecution(stack, user, executionId, ['completed', 'failed']);
    expect(done.steps.map((s: { status: string }) => s.status)).toEqual([
      'completed',
      'completed',
      'completed',
      'skipped',
    ]);
    expect(done.steps[1].output).toHaveProperty('summary');
    expect(done.steps[2].output).toMatchObject({ routedTo: 'queue:general', rule: null });
  });

  it("classifies with the user's classification workflow, running its stages", async () => {
    const created = await api(stack, user, 'POST', '/classification/workflows', {
      name: 'Paperwork',
      categories: [
        { name: 'contract', keywords: ['agreement', 'party'] },
        { name: 'invoice', keywords: ['invoice', 'amount'] },
      ],
      stages: [{ type: 'rules', threshold: 0.6 }, { type: 'local' }],
    });
    expect(created.status).toBe(201);
    const { executionId } = await start([
      { id: 'classify', type: 'classification', config: { classificationWorkflowId: created.body.id } },
    ]);
    const done = await waitForExecution(stack, user, executionId, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    expect(done.steps[0].output).toMatchObject({
      category: 'contract',
      classificationWorkflowId: created.body.id,
      trace: expect.arrayContaining([expect.objectContaining({ type: 'rules' })]),
    });
  });

  it('fails a classification step whose classification workflow is not the user’s, without retrying', async () => {
    const { executionId } = await start([
      {
        id: 'classify',
        type: 'classification',
        config: { classificationWorkflowId: '00000000-0000-4000-8000-00000000abcd' },
      },
    ]);
    const done = await waitForExecution(stack, user, executionId, ['completed', 'failed']);
    expect(done).toMatchObject({
      status: 'failed',
      steps: [{ attempts: 1, error: 'Classification workflow not found' }],
    });
  });

  it('lists executions by workflow, document and status, paginated', async () => {
    const a = await start([{ id: 'n', type: 'notification', config: { title: 'x' } }]);
    await waitForExecution(stack, user, a.executionId, ['completed']);
    const byWorkflow = await api(stack, user, 'GET', `/workflows/executions?workflowId=${a.workflowId}`);
    expect(byWorkflow.body.items.map((e: { id: string }) => e.id)).toEqual([a.executionId]);
    const byDocument = await api(
      stack,
      user,
      'GET',
      `/workflows/executions?documentId=${a.documentId}&status=completed`,
    );
    expect(byDocument.body).toMatchObject({ total: 1, items: [{ id: a.executionId, status: 'completed' }] });
    const page = await api(stack, user, 'GET', '/workflows/executions?limit=1&offset=1');
    expect(page.body.items).toHaveLength(1);
    expect(page.body.total).toBeGreaterThan(1);
    const bad = await api(stack, user, 'GET', '/workflows/executions?status=sleeping');
    expect(bad.status).toBe(400);
  });
});

describe('retries', () => {
  const hooked = (retry: unknown) => [
    {
      id: 'notify',
      type: 'notification',
      retry,
      config: { title: 'Hooked', webhook: { url: receiver.url, secret: SECRET } },
    },
  ];

  it('retries a failing step by its policy and completes once the webhook recovers', async () => {
    receiver.failNext(503, 2);
    const { executionId } = await start(hooked({ attempts: 3, backoffSeconds: 0.1 }));
    const done = await waitForExecution(stack, user, executionId, ['completed', 'failed']);
    expect(done.status).toBe('completed');
    expect(done.steps[0]).toMatchObject({ status: 'completed', attempts: 3 });
    const ids = new Set(
      receiver.deliveries.filter((d) => d.body.executionId === executionId).map((d) => d.id),
    );
    expect(ids.size).toBe(1);
  });

  it('fails the execution with the error kept once the attempts are exhausted', async () => {
    receiver.failNext(500, 2);
    const { executionId } = await start(hooked({ attempts: 2, backoffSeconds: 0.1 }));
    const done = await waitForExecution(stack, user, executionId, ['completed', 'failed']);
    expect(done.status).toBe('failed');
    expect(done.error).toBe('step "notify" failed: the webhook answered 500 (after 2 attempts)');
    expect(done.steps[0]).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: 'the webhook answered 500 (after 2 attempts)',
    });
  });

  it('does not retry an error no retry can fix', async () => {
    receiver.failNext(410, 1);
    const { executionId } = await start(hooked({ attempts: 5, backoffSeconds: 0.1 }));
    const done = await waitForExecution(stack, user, executionId, ['completed', 'failed']);
    expect(done).toMatchObject({
      status: 'failed',
      steps: [{ attempts: 1, error: 'the webhook answered 410' }],
    });
  });
});

describe('webhook targets', () => {
  it('refuses a private IP literal or localhost when the workflow is saved, naming the step', async () => {
    for (const url of ['http://169.254.169.254/latest', 'http://localhost:8080/x', 'http://[fd00::1]/x']) {
      const saved = await api(stack, user, 'POST', '/workflows', {
        name: 'Private',
        steps: [
          { id: 'notify', type: 'notification', config: { title: 'X', webhook: { url, secret: SECRET } } },
        ],
      });
      expect(saved.status).toBe(400);
      expect(saved.body.error.issues).toEqual([
        expect.objectContaining({ path: 'steps.0.config.webhook.url', code: 'private_address' }),
      ]);
    }
  });

  it.each([
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['a private network address', 'http://10.1.2.3:8080/hook'],
    ['localhost by name (only 127.0.0.1 is allowed here)', `http://localhost:9/hook`],
    ['IPv6 loopback', 'http://[::1]:9/hook'],
  ])('refuses %s at delivery without sending anything, and does not retry', async (_, url) => {
    const before = receiver.deliveries.length;
    const steps = [
      {
        id: 'notify',
        type: 'notification',
        retry: { attempts: 3, backoffSeconds: 0.1 },
        config: { title: 'X', webhook: { url, secret: SECRET } },
      },
    ];
    // Stored directly, as a definition saved before the check (or naming a host that later resolves to a
    // private address) would be: the API refuses these literals when saving.
    const workflowId = await asOwner(stack.database.url, async (db) => {
      const { rows } = await db.query(
        `insert into public.document_workflows (user_id, name, steps) values ($1, 'Old', $2::jsonb) returning id`,
        [user.id, JSON.stringify(steps)],
      );
      return rows[0].id as string;
    });
    const documentId = await createDocument(stack.database.url, user.id, 'Any text', 'Doc');
    const started = await api(stack, user, 'POST', `/workflows/${workflowId}/execute`, { documentId });
    expect(started.status).toBe(202);
    const executionId = started.body.executionId as string;
    const done = await waitForExecution(stack, user, executionId, ['completed', 'failed']);
    expect(done.status).toBe('failed');
    expect(done.steps[0].attempts).toBe(1);
    expect(done.steps[0].error).toMatch(/private address|is private/);
    expect(receiver.deliveries.length).toBe(before);
  });
});
