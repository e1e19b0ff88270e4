import { describe, expect, it } from 'vitest';
import type { ClassificationCategory } from '../../shared/classification/definition.ts';
import { checkPattern, isPattern } from '../../shared/classification/patterns.ts';
import { classifyByRules } from '../../shared/classification/rules.ts';

const categories: ClassificationCategory[] = [
  { name: 'billing', keywords: ['invoice', 'refund', 'payment due', '/\\bINV-\\d{4}\\b/'] },
  { name: 'support', keywords: ['error', 'crash', 'bug'] },
];

describe('rules stage', () => {
  it('has no opinion when no keyword matches', () => {
    expect(classifyByRules('The weather is lovely today.', categories)).toBeUndefined();
  });

  it('is unsure with one lone hit and sure with several hits for one category', () => {
    expect(classifyByRules('Please send the invoice.', categories)).toMatchObject({
      category: 'billing',
      confidence: 0.5,
    });
    const sure = classifyByRules('Invoice INV-2041: the refund for the invoice is still open.', categories);
    expect(sure?.category).toBe('billing');
    expect(sure?.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('lowers confidence when other categories match too, and lists them as alternatives', () => {
    const mixed = classifyByRules('The refund page shows an error after the invoice crash.', categories);
    expect(mixed?.category).toBe('billing');
    expect(mixed?.confidence).toBeLessThan(0.5);
    expect(mixed?.alternatives).toEqual([{ category: 'support', confidence: expect.any(Number) }]);
  });

  it('matches whole words only, case-insensitively, and phrases across whitespace', () => {
    expect(classifyByRules('Errors everywhere, debugging', categories)).toBeUndefined();
    expect(classifyByRules('PAYMENT\n  DUE tomorrow', categories)?.category).toBe('billing');
  });

  it('is deterministic', () => {
    const text = 'bug bug crash invoice';
    expect(classifyByRules(text, categories)).toEqual(classifyByRules(text, categories));
  });
});

describe('regex keywords', () => {
  it('recognises /…/flags and accepts safe patterns', () => {
    expect(isPattern('/INV-\\d+/i')).toBe(true);
    expect(isPattern('invoice')).toBe(false);
    expect(checkPattern('/INV-\\d+/i')).toBeUndefined();
  });

  it('refuses patterns that can backtrack catastrophically, bad flags and invalid syntax', () => {
    expect(checkPattern('/(a+)+$/')).toMatch(/repeated group/);
    expect(checkPattern('/(\\w*x)*/')).toMatch(/repeated group/);
    expect(checkPattern('/(a)\\1/')).toMatch(/back-references/);
    expect(checkPattern('/abc/g')).toMatch(/flags/);
    expect(checkPattern('/[a-/')).toMatch(/not a valid regular expression/);
  });
});
