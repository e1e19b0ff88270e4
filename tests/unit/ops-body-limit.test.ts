import { describe, expect, it } from 'vitest';
import { holdsUnstorableText } from '../../shared/http/body-limit.ts';

describe('text Postgres cannot store', () => {
  it('finds NUL characters and unpaired surrogates anywhere in a JSON value, keys included', () => {
    expect(holdsUnstorableText({ a: ['ok', { b: 'x\u0000y' }] })).toBe(true);
    expect(holdsUnstorableText({ '\ud800': 1 })).toBe(true);
    expect(holdsUnstorableText(['\udc00 alone'])).toBe(true);
    expect(holdsUnstorableText({ emoji: '👩‍👩‍👧', text: 'naïve', n: 1, z: null })).toBe(false);
  });
});
