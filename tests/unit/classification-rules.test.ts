import { describe, expect, it } from 'vitest';
import type { ClassificationCategory } from '../../shared/classification/definition.ts';
import { checkPattern, isPattern } from '../../shared/classification/patterns.ts';
import { classifyByRules } from '../../shared/classification/rules.ts';

const categories: ClassificationCategory[] = [
  { name: 'billing', keywords: ['invoice', 'refund', 'payment due', '/\\bINV-\\d{4}\\b/'] },
  { name: 'support', keywords: ['error', 'crash', 'bug'] },
];

describe('rules stage', () => {
  it('has no opinion when no keyword matches', async () => {
    expect(await classifyByRules('The weather is lovely today.', categories)).toBeUndefined();
  });

  it('is unsure with one lone hit and sure with several hits for one category', async () => {
    expect(await classifyByRules('Please send the invoice.', categories)).toMatchObject({
      category: 'billing',
      confidence: 0.5,
    });
    const sure = await classifyByRules(
      'Invoice INV-2041: the refund for the invoice is still open.',
      categories,
    );
    expect(sure?.category).toBe('billing');
    expect(sure?.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('lowers confidence when other categories match too, and lists them as alternatives', async () => {
    const mixed = await classifyByRules(
      'The refund page shows an error after the invoice crash.',
      categories,
    );
    expect(mixed?.category).toBe('billing');
    expect(mixed?.confidence).toBeLessThan(0.5);
    expect(mixed?.alternatives).toEqual([{ category: 'support', confidence: expect.any(Number) }]);
  });

  it('matches whole words only, case-insensitively, and phrases across whitespace', async () => {
    expect(await classifyByRules('Errors everywhere, debugging', categories)).toBeUndefined();
    expect((await classifyByRules('PAYMENT\n  DUE tomorrow', categories))?.category).toBe('billing');
  });

  it('is deterministic', async () => {
    const text = 'bug bug crash invoice';
    expect(await classifyByRules(text, categories)).toEqual(await classifyByRules(text, categories));
  });
});

describe('regex keywords', () => {
  it('recognises /…/flags and accepts safe patterns', () => {
    expect(isPattern('/INV-\\d+/i')).toBe(true);
    expect(isPattern('invoice')).toBe(false);
    expect(checkPattern('/INV-\\d+/i')).toBeUndefined();
  });

  it('accepts patterns that backtrack catastrophically elsewhere: RE2 runs them in linear time', async () => {
    for (const pattern of ['/(a+)+$/', '/(\\w*x)*/', '/(a|aa)+$/', '/(.*a){12}/s'])
      expect(checkPattern(pattern)).toBeUndefined();
    const evil: ClassificationCategory[] = [
      { name: 'a', keywords: ['/(a+)+$/', '/(a|aa)+b/', '/(.*a){12}x/s'] },
      { name: 'b', keywords: ['never'] },
    ];
    const started = performance.now();
    expect(await classifyByRules(`${'a'.repeat(50_000)}!`, evil)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('refuses what RE2 cannot take, bad flags, overlong and overcomplex patterns, naming the problem', () => {
    expect(checkPattern('/(a)\\1/')).toMatch(/linear-time engine \(RE2\).*back-references/);
    expect(checkPattern('/(?=a)b/')).toMatch(/RE2/);
    expect(checkPattern('/abc/g')).toMatch(/flags/);
    expect(checkPattern('/[a-/')).toMatch(/RE2/);
    expect(checkPattern(`/${'a'.repeat(201)}/`)).toMatch(/at most 200 characters/);
    expect(checkPattern('/(\\w{1,100}){2}/')).toMatch(/too complex/);
  });

  it('refuses at run time a pattern that was written past the save-time checks', async () => {
    const stored: ClassificationCategory[] = [
      { name: 'a', keywords: ['/(x)\\1/'] },
      { name: 'b', keywords: ['b'] },
    ];
    await expect(classifyByRules('xx', stored)).rejects.toThrow(/keyword \/\(x\)\\1\/: not a pattern/);
    const many: ClassificationCategory[] = [
      { name: 'a', keywords: Array.from({ length: 21 }, (_, i) => `/x${i}/`) },
    ];
    await expect(classifyByRules('x1', many)).rejects.toThrow(/at most 20 regular-expression keywords/);
  });

  it('counts repeated and empty matches without looping', async () => {
    const cats: ClassificationCategory[] = [
      { name: 'a', keywords: ['/x*/'] },
      { name: 'b', keywords: ['/INV-\\d+/i'] },
    ];
    expect(await classifyByRules('inv-1 inv-2 INV-3 INV-4', cats)).toMatchObject({ category: 'a' });
  });
});
