import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BOT_SETTINGS } from '../../shared/bots/settings.ts';
import { createUser } from '../support/db.ts';
import { callFunction, statusAndBody } from '../support/harness.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

async function settings(userId: string, method: 'GET' | 'PUT', body?: unknown) {
  return callFunction(stack, 'bots/settings', {
    method,
    token: await stack.userToken(userId),
    json: body,
  }).then(statusAndBody);
}

describe('GET/PUT /bots/settings', () => {
  it('shows the defaults (auto-scheduling off) until the user saves settings', async () => {
    const userId = await createUser(stack.database.url);
    expect(await settings(userId, 'GET')).toEqual({ status: 200, body: DEFAULT_BOT_SETTINGS });
  });

  it('saves a partial update, keeps the other fields, and reads it back', async () => {
    const userId = await createUser(stack.database.url);
    const saved = await settings(userId, 'PUT', {
      autoSchedule: true,
      exclusionKeywords: ['1:1', 'interview'],
      recordMode: 'external_only',
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({
      ...DEFAULT_BOT_SETTINGS,
      autoSchedule: true,
      exclusionKeywords: ['1:1', 'interview'],
      recordMode: 'external_only',
    });
    const next = await settings(userId, 'PUT', { lookaheadHours: 48, botName: 'Acme Notes' });
    expect(next.body).toMatchObject({ autoSchedule: true, lookaheadHours: 48, botName: 'Acme Notes' });
    expect((await settings(userId, 'GET')).body).toEqual(next.body);
  });

  it.each([
    ['an emoji in the bot name', { botName: 'Notes 📝' }],
    ['an unknown record mode', { recordMode: 'sometimes' }],
    ['an unknown field', { autoschedule: true }],
    ['a zero look-ahead', { lookaheadHours: 0 }],
    ['a bad language tag', { transcriptionLanguage: 'english!' }],
  ])('answers 400 with the issues for %s', async (_, body) => {
    const userId = await createUser(stack.database.url);
    const { status, body: error } = await settings(userId, 'PUT', body);
    expect(status).toBe(400);
    expect(error.error.code).toBe('bad_request');
    expect(error.error.issues.length).toBeGreaterThan(0);
  });

  it('keeps each user’s settings to that user', async () => {
    const first = await createUser(stack.database.url);
    const second = await createUser(stack.database.url);
    await settings(first, 'PUT', { autoSchedule: true });
    expect((await settings(second, 'GET')).body.autoSchedule).toBe(false);
  });
});
