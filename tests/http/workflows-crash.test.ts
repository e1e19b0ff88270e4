import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOwner, createDocument, eventually, newUser, type TestUser } from '../support/harness.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import {
  api,
  enqueueExecution,
  runCleanupJob,
  startWorkflowWorker,
  type WorkflowWorker,
  waitForExecution,
} from '../support/workflows-harness.ts';
import { type Receiver, startReceiver } from '../support/workflows-receiver.ts';

const SECRET = 'whsec_crash_tests_0000001';
const workerScript = new URL('../support/workflows-worker.ts', import.meta.url).pathname;
let stack: TestStack;
let receiver: Receiver;
let user: TestUser;
beforeAll(async () => {
  stack = await startTestStack();
  receiver = await startReceiver(SECRET);
  user = await newUser(stack);
});
afterAll(async () => {
  await receiver.close();
  await stack.stop();
});

/** A worker in its own process, so it can really be killed. */
function spawnWorker(): ChildProcess {
  return spawn(process.execPath, [workerScript], {
    env: { ...process.env, DATABASE_URL: stack.database.url, WORKFLOW_LEASE_GRACE_SECONDS: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function start(name: string, steps: unknown[]) {
  const workflow = await api(stack, user, 'POST', '/workflows', { name, steps });
  const documentId = await createDocument(
    stack.database.url,
    user.id,
    'This agreement binds each party.',
    'Agreement',
  );
  const started = await api(stack, user, 'POST', `/workflows/${workflow.body.id}/execute`, { documentId });
  return { executionId: started.body.executionId as string, documentId };
}

const steps = () => [
  {
    id: 'classify',
    type: 'classification',
    config: { categories: [{ name: 'contract', keywords: ['agreement'] }, { name: 'invoice' }] },
  },
  {
    id: 'route',
    type: 'routing',
    config: { rules: [{ when: { '==': [1, 1] }, destination: { type: 'team', id: 'legal' } }] },
  },
  {
    id: 'notify',
    type: 'notification',
    timeoutSeconds: 2,
    config: { title: 'Routed', webhook: { url: receiver.url, secret: SECRET } },
  },
  { id: 'closing', type: 'notification', config: { title: 'Closed' } },
];

describe('durability', () => {
  it('completes an execution whose worker was killed mid-step, without repeating any step effect', async () => {
    receiver.hold();
    const child = spawnWorker();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const { executionId, documentId } = await start('Crash', steps());
    await receiver.waitForDeliveries(1, 60_000);
    const before = await waitForExecution(stack, user, executionId, ['running']);
    child.kill('SIGKILL');
    await exited;
    receiver.release();
    expect(before.steps.map((s: { status: string }) => s.status)).toEqual([
      'completed',
      'completed',
      'running',
      'pending',
    ]);

    const worker: WorkflowWorker = await startWorkflowWorker(stack);
    try {
      // The dead worker's lease (timeout 2 s + grace 1 s) runs out; the cleanup job then re-enqueues it.
      await eventually(async () => {
        const summary = await runCleanupJob(stack);
        return summary.executionsRecovered > 0 ? summary : undefined;
      });
      const done = await waitForExecution(stack, user, executionId, ['completed', 'failed']);
      expect(done.status).toBe('completed');
      const [classify, route, notify, closing] = done.steps;
      expect([classify.attempts, route.attempts, notify.attempts, closing.attempts]).toEqual([1, 1, 2, 1]);
      expect(classify.startedAt).toBe(before.steps[0].startedAt);
      expect(route.finishedAt).toBe(before.steps[1].finishedAt);

      const rows = await asOwner(stack.database.url, async (db) => ({
        notifications: (
          await db.query(
            `select id, title from notifications where payload ->> 'executionId' = $1 order by title`,
            [executionId],
          )
        ).rows,
        routedTo: (await db.query('select routed_to from documents where id = $1', [documentId])).rows[0]
          .routed_to,
      }));
      expect(rows.notifications.map((n: { title: string }) => n.title)).toEqual(['Closed', 'Routed']);
      expect(rows.routedTo).toBe('team:legal');
      // The delivery cut short by the kill is repeated with the same id, which the receiver processes once.
      const deliveries = receiver.deliveries.filter((d) => d.body.executionId === executionId);
      expect(new Set(deliveries.map((d) => d.id))).toEqual(new Set([notify.output.notificationId]));
      expect([...receiver.processed].filter((id) => id === notify.output.notificationId)).toHaveLength(1);

      // The killed worker's own job, redelivered late, finds nothing left to do.
      await enqueueExecution(stack, executionId, user.id);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = await api(stack, user, 'GET', `/workflows/executions/${executionId}`);
      expect(after.body.steps.map((s: { attempts: number }) => s.attempts)).toEqual([1, 1, 2, 1]);
    } finally {
      await worker.stop();
    }
  }, 120_000);

  it('runs every step once when the same execution is delivered several times at once', async () => {
    const worker = await startWorkflowWorker(stack);
    try {
      const { executionId } = await start(
        'Duplicates',
        steps().filter((s) => s.id !== 'notify'),
      );
      await Promise.all([1, 2, 3, 4].map(() => enqueueExecution(stack, executionId, user.id)));
      const done = await waitForExecution(stack, user, executionId, ['completed', 'failed']);
      expect(done.status).toBe('completed');
      expect(done.steps.map((s: { attempts: number }) => s.attempts)).toEqual([1, 1, 1]);
      const count = await asOwner(stack.database.url, async (db) =>
        Number(
          (
            await db.query(`select count(*) from notifications where payload ->> 'executionId' = $1`, [
              executionId,
            ])
          ).rows[0].count,
        ),
      );
      expect(count).toBe(1);
    } finally {
      await worker.stop();
    }
  });
});
