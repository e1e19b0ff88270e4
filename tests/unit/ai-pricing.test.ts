import { describe, expect, it } from 'vitest';
import { cacheKey, canonicalJson } from '../../shared/ai/cache-key.ts';
import { scrub } from '../../shared/ai/errors.ts';
import { locateEntities, splitSentences } from '../../shared/ai/openai/text.ts';
import { costUsd } from '../../shared/ai/pricing.ts';

describe('cost, cache keys and text helpers', () => {
  it('prices OpenAI tokens from the maintained price data, cached input at its lower rate', () => {
    // gpt-4.1-mini: $0.40 per million input tokens, $0.10 cached, $1.60 output.
    expect(costUsd('openai', 'gpt-4.1-mini', { tokensIn: 1_000, tokensOut: 500 })).toBeCloseTo(0.0012, 6);
    expect(
      costUsd('openai', 'gpt-4.1-mini', { tokensIn: 1_000, tokensOut: 500, cachedTokensIn: 1_000 }),
    ).toBeCloseTo(0.0009, 6);
  });

  it('costs nothing for the local provider and for models the price data does not know', () => {
    expect(costUsd('local', 'local-lexicon-v1', { tokensIn: 0, tokensOut: 0 })).toBe(0);
    expect(costUsd('openai', 'llama3.1:8b', { tokensIn: 1_000, tokensOut: 1_000 })).toBe(0);
  });

  it('hashes equal inputs equally whatever their key order, and different models differently', async () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
    const key = (model: string, input: unknown) =>
      cacheKey({ operation: 'classify', provider: 'openai', model, input });
    expect(await key('m', { text: 't', categories: [{ name: 'a' }] })).toBe(
      await key('m', { categories: [{ name: 'a' }], text: 't' }),
    );
    expect(await key('m', { text: 't' })).not.toBe(await key('n', { text: 't' }));
    expect(await key('m', { text: 't' })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('removes API keys from provider messages', () => {
    expect(scrub('Incorrect API key provided: sk-proj-abcdef123456')).not.toMatch(/abcdef/);
    expect(scrub('key=my-secret-value here', ['my-secret-value'])).toBe('key=[redacted] here');
  });

  it('splits sentences with offsets into the text', () => {
    const text = 'Great call. The price is too high!  Ship it?';
    for (const sentence of splitSentences(text))
      expect(text.slice(sentence.start, sentence.end)).toBe(sentence.text);
    expect(splitSentences(text)).toHaveLength(3);
  });

  it('finds every mention of a named entity and drops names the text does not contain', () => {
    const text = 'Acme met Dana. Dana signed for Acme Corp.';
    const entities = locateEntities(text, [
      { text: 'Dana', type: 'person' },
      { text: 'Acme Corp', type: 'organization' },
      { text: 'Acme', type: 'organization' },
      { text: 'Zeus', type: 'person' },
    ]);
    expect(entities.map((e) => [e.text, e.start])).toEqual([
      ['Acme', 0],
      ['Dana', 9],
      ['Dana', 15],
      ['Acme Corp', 31],
    ]);
    for (const entity of entities) expect(text.slice(entity.start, entity.end)).toBe(entity.text);
  });
});
