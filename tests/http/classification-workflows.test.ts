import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES, classification } from '../support/classification-harness.ts';
import { newUser, type TestUser } from '../support/harness.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let owner: TestUser;
let stranger: TestUser;
beforeAll(async () => {
  stack = await startTestStack();
  owner = await newUser(stack);
  stranger = await newUser(stack);
});
afterAll(() => stack.stop());

const cascade = [{ type: 'rules', threshold: 0.8 }, { type: 'llm' }, { type: 'sentiment' }];

describe('classification workflows over HTTP', () => {
  it('creates a workflow, lists it and reads it back', async () => {
    const created = await classification(stack, owner, 'POST', '/workflows', {
      name: 'Tickets',
      categories: CATEGORIES,
      stages: cascade,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Tickets', version: 1, isActive: true });
    expect(created.body.stages).toEqual([
      { type: 'rules', threshold: 0.8 },
      { type: 'llm' },
      { type: 'sentiment', provider: 'local' },
    ]);
    const read = await classification(stack, owner, 'GET', `/workflows/${created.body.id}`);
    expect(read.body.categories).toEqual(CATEGORIES);
    const list = await classification(stack, owner, 'GET', '/workflows?limit=50');
    expect(list.body.items.map((w: { id: string }) => w.id)).toContain(created.body.id);
  });

  it('stores the default cascade when no stages are given', async () => {
    const created = await classification(stack, owner, 'POST', '/workflows', {
      name: 'Plain',
      categories: CATEGORIES,
    });
    expect(created.body.stages.map((s: { type: string }) => s.type)).toEqual([
      'rules',
      'local',
      'llm',
      'sentiment',
      'entities',
    ]);
  });

  it.each([
    ['no categories', { name: 'x', categories: [] }, /categories: at least two categories/],
    [
      'duplicate category names',
      { name: 'x', categories: [...CATEGORIES, { name: 'Billing' }] },
      /categories\.3\.name: duplicate category name "Billing"/,
    ],
    [
      'an unknown stage',
      { name: 'x', categories: CATEGORIES, stages: [{ type: 'crystal-ball' }] },
      /stages\.0\.type: unknown stage type "crystal-ball"/,
    ],
    [
      'a threshold above 1',
      { name: 'x', categories: CATEGORIES, stages: [{ type: 'rules', threshold: 1.2 }, { type: 'llm' }] },
      /stages\.0\.threshold: a threshold is a confidence between 0 and 1/,
    ],
    [
      'a negative threshold',
      { name: 'x', categories: CATEGORIES, stages: [{ type: 'local', threshold: -0.5 }] },
      /stages\.0\.threshold: a threshold is a confidence between 0 and 1/,
    ],
  ])('rejects %s with 400 and a message naming the problem', async (_, body, message) => {
    const response = await classification(stack, owner, 'POST', '/workflows', body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('bad_request');
    expect(response.body.error.message).toMatch(/^Invalid classification workflow: /);
    expect(response.body.error.message).toMatch(message);
  });

  it('refuses a second active workflow with the same name with 409', async () => {
    await classification(stack, owner, 'POST', '/workflows', { name: 'Twin', categories: CATEGORIES });
    const again = await classification(stack, owner, 'POST', '/workflows', {
      name: 'Twin',
      categories: CATEGORIES,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/named "Twin" already exists/);
  });

  it('patches a workflow as a new version and refuses a stale version with 409', async () => {
    const created = await classification(stack, owner, 'POST', '/workflows', {
      name: 'Edit',
      categories: CATEGORIES,
    });
    const id = created.body.id;
    const patched = await classification(stack, owner, 'PATCH', `/workflows/${id}`, {
      stages: [{ type: 'rules', threshold: 0.5 }, { type: 'llm' }],
      version: 1,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Edit', version: 2, categories: CATEGORIES });
    const stale = await classification(stack, owner, 'PATCH', `/workflows/${id}`, {
      name: 'Edit 2',
      version: 1,
    });
    expect(stale.status).toBe(409);
    const invalid = await classification(stack, owner, 'PATCH', `/workflows/${id}`, {
      stages: [{ type: 'llm', threshold: 7 }],
    });
    expect(invalid.status).toBe(400);
  });

  it('deactivates with DELETE or POST …/deactivate, idempotently, and then refuses edits', async () => {
    const first = await classification(stack, owner, 'POST', '/workflows', {
      name: 'Old',
      categories: CATEGORIES,
    });
    const deleted = await classification(stack, owner, 'DELETE', `/workflows/${first.body.id}`);
    expect(deleted).toMatchObject({ status: 200, body: { isActive: false } });
    const again = await classification(stack, owner, 'POST', `/workflows/${first.body.id}/deactivate`);
    expect(again).toMatchObject({ status: 200, body: { isActive: false } });
    const edit = await classification(stack, owner, 'PATCH', `/workflows/${first.body.id}`, { name: 'New' });
    expect(edit.status).toBe(409);
    const active = await classification(stack, owner, 'GET', '/workflows?limit=100');
    expect(active.body.items.map((w: { id: string }) => w.id)).not.toContain(first.body.id);
    const all = await classification(stack, owner, 'GET', '/workflows?limit=100&includeInactive=true');
    expect(all.body.items.map((w: { id: string }) => w.id)).toContain(first.body.id);
  });

  it("keeps one user's workflows invisible to another", async () => {
    const mine = await classification(stack, owner, 'POST', '/workflows', {
      name: 'Private',
      categories: CATEGORIES,
    });
    for (const [method, path] of [
      ['GET', `/workflows/${mine.body.id}`],
      ['PATCH', `/workflows/${mine.body.id}`],
      ['DELETE', `/workflows/${mine.body.id}`],
    ] as const) {
      const response = await classification(
        stack,
        stranger,
        method,
        path,
        method === 'PATCH' ? { name: 'x' } : undefined,
      );
      expect(response.status).toBe(404);
    }
    const list = await classification(stack, stranger, 'GET', '/workflows');
    expect(list.body.total).toBe(0);
  });
});
