import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocument, newUser, type TestUser } from '../support/harness.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { api } from '../support/workflows-harness.ts';

let stack: TestStack;
let owner: TestUser;
beforeAll(async () => {
  stack = await startTestStack();
  owner = await newUser(stack);
});
afterAll(() => stack.stop());

const notify = { id: 'notify', type: 'notification', config: { title: 'Done' } };
const classify = {
  id: 'classify',
  type: 'classification',
  config: { categories: [{ name: 'contract' }, { name: 'invoice' }] },
};

describe('workflow definitions over HTTP', () => {
  it('creates a workflow as version 1 and reads it back', async () => {
    const created = await api(stack, owner, 'POST', '/workflows', {
      name: 'Intake',
      steps: [classify, notify],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Intake', version: 1, isActive: true, userId: owner.id });
    const read = await api(stack, owner, 'GET', `/workflows/${created.body.id}`);
    expect(read.body.steps.map((s: { id: string }) => s.id)).toEqual(['classify', 'notify']);
  });

  it.each([
    [
      'an unknown step type',
      [{ id: 'x', type: 'teleport', config: {} }],
      /steps\.0\.type: unknown step type "teleport"/,
    ],
    ['duplicate step ids', [notify, notify], /steps\.1\.id: duplicate step id "notify"/],
    [
      'a condition on a later step',
      [{ ...notify, condition: { '==': [{ var: 'steps.classify.output.category' }, 'contract'] } }, classify],
      /steps\.0\.condition: variable "steps\.classify\.output\.category" refers to step "classify", which does not run earlier/,
    ],
    [
      'bad JsonLogic',
      [{ ...notify, condition: { explode: [1] } }],
      /steps\.0\.condition: unknown operator "explode"/,
    ],
  ])('rejects %s with 400 and a message naming the problem', async (_, steps, message) => {
    const response = await api(stack, owner, 'POST', '/workflows', { name: 'Bad', steps });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('bad_request');
    expect(response.body.error.message).toMatch(/^Invalid workflow definition: /);
    expect(response.body.error.message).toMatch(message);
  });

  it('keeps webhook secrets out of every response', async () => {
    const hook = { url: 'https://hooks.example.test/wf', secret: 'whsec_abcdefghijklmnop' };
    const created = await api(stack, owner, 'POST', '/workflows', {
      name: 'Hooked',
      steps: [{ ...notify, config: { title: 'Done', webhook: hook } }],
    });
    expect(JSON.stringify(created.body)).not.toContain(hook.secret);
    expect(created.body.steps[0].config.webhook).toEqual({ url: hook.url, secret: '[redacted]' });
  });

  it('saves an update as a new version and refuses a stale version with 409', async () => {
    const created = await api(stack, owner, 'POST', '/workflows', { name: 'V', steps: [notify] });
    const id = created.body.id;
    const updated = await api(stack, owner, 'PUT', `/workflows/${id}`, {
      name: 'V2',
      steps: [classify, notify],
      version: 1,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'V2', version: 2 });
    const stale = await api(stack, owner, 'PUT', `/workflows/${id}`, {
      name: 'V3',
      steps: [notify],
      version: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/version 2/);
  });

  it('snapshots the version an execution starts with, so a later edit does not change it', async () => {
    const created = await api(stack, owner, 'POST', '/workflows', { name: 'Snap', steps: [notify] });
    const documentId = await createDocument(stack.database.url, owner.id, 'A short note.');
    const started = await api(stack, owner, 'POST', `/workflows/${created.body.id}/execute`, { documentId });
    expect(started.status).toBe(202);
    await api(stack, owner, 'PUT', `/workflows/${created.body.id}`, {
      name: 'Snap',
      steps: [classify, notify],
    });
    const execution = await api(stack, owner, 'GET', `/workflows/executions/${started.body.executionId}`);
    expect(execution.body.workflowVersion).toBe(1);
    expect(execution.body.definition.steps.map((s: { id: string }) => s.id)).toEqual(['notify']);
    expect(execution.body.steps.map((s: { stepId: string }) => s.stepId)).toEqual(['notify']);
  });

  it('starts an execution the way the frontend does (supabase-js functions.invoke) and answers 202', async () => {
    const created = await api(stack, owner, 'POST', '/workflows', { name: 'Invoke', steps: [notify] });
    const documentId = await createDocument(stack.database.url, owner.id, 'Invoked from the browser.');
    const { data, error, response } = await stack
      .client(owner.token)
      .functions.invoke(`workflows/${created.body.id}/execute`, { body: { documentId } });
    expect(error).toBeNull();
    expect(response?.status).toBe(202);
    expect(data).toMatchObject({ status: 'queued', execution: { documentId, workflowVersion: 1 } });
    expect(data.executionId).toBe(data.execution.id);
  });

  it('deactivates idempotently, lists only active workflows by default and refuses to execute it', async () => {
    const created = await api(stack, owner, 'POST', '/workflows', { name: 'Old', steps: [notify] });
    const id = created.body.id;
    for (let i = 0; i < 2; i++) {
      const response = await api(stack, owner, 'POST', `/workflows/${id}/deactivate`);
      expect(response.status).toBe(200);
      expect(response.body.isActive).toBe(false);
    }
    const active = await api(stack, owner, 'GET', '/workflows?limit=100');
    expect(active.body.items.map((w: { id: string }) => w.id)).not.toContain(id);
    const all = await api(stack, owner, 'GET', '/workflows?limit=100&includeInactive=true');
    expect(all.body.items.map((w: { id: string }) => w.id)).toContain(id);
    const documentId = await createDocument(stack.database.url, owner.id, 'Text');
    const run = await api(stack, owner, 'POST', `/workflows/${id}/execute`, { documentId });
    expect(run.status).toBe(409);
  });

  it('answers 404 for a document that is not the caller’s', async () => {
    const other = await newUser(stack);
    const created = await api(stack, owner, 'POST', '/workflows', { name: 'Mine', steps: [notify] });
    const theirs = await createDocument(stack.database.url, other.id, 'Not yours');
    const run = await api(stack, owner, 'POST', `/workflows/${created.body.id}/execute`, {
      documentId: theirs,
    });
    expect(run.status).toBe(404);
    expect(run.body.error.message).toBe('Document not found');
  });

  it('publishes the workflow routes in its OpenAPI document', async () => {
    const response = await fetch(`${stack.url}/functions/v1/workflows/openapi.json`, {
      headers: { Authorization: `Bearer ${stack.serviceKey}` },
    });
    const paths = Object.keys((await response.json()).paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/workflows',
        '/workflows/{workflowId}/execute',
        '/workflows/executions',
        '/workflows/executions/{id}/pause',
        '/workflows/approvals/{id}/decision',
      ]),
    );
  });
});
