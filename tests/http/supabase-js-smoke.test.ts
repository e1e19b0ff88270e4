import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSmoke } from '../../scripts/supabase-js-smoke.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.stop());

describe('scripts/supabase-js-smoke.ts against a started stack', () => {
  it('signs up, signs in, inserts, classifies with functions.invoke, reads the result; another user sees none of it', async () => {
    const result = await runSmoke(stack.url, stack.anonKey);
    expect(result.category).toBe('billing');
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.otherUserSees).toEqual({ documents: 0, results: 0 });
  });
});
