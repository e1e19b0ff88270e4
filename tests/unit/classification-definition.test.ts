import { describe, expect, it } from 'vitest';
import { BatchRequestSchema, EnhancedRequestSchema } from '../../shared/classification/api-schemas.ts';
import { ProfileInputSchema, ProfilePatchSchema } from '../../shared/classification/definition.ts';

const categories = [
  { name: 'billing', keywords: ['invoice'] },
  { name: 'support', keywords: ['error'] },
];

function messages(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  return (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('classification workflow definitions', () => {
  it('accepts categories with keywords and examples, and stages with thresholds', () => {
    const parsed = ProfileInputSchema.parse({
      name: 'Tickets',
      categories: [{ ...categories[0], examples: ['Where is my invoice?'] }, categories[1]],
      stages: [{ type: 'rules', threshold: 0.8 }, { type: 'llm' }, { type: 'sentiment' }],
    });
    expect(parsed.stages?.[2]).toEqual({ type: 'sentiment', provider: 'local' });
  });

  it('rejects a workflow without categories', () => {
    expect(messages(ProfileInputSchema.safeParse({ name: 'x', categories: [] }))).toEqual([
      'categories: at least two categories are needed to choose between',
    ]);
  });

  it('rejects duplicate category names, whatever their case', () => {
    const result = ProfileInputSchema.safeParse({
      name: 'x',
      categories: [...categories, { name: 'Billing' }],
    });
    expect(messages(result)).toEqual([
      'categories.2.name: duplicate category name "Billing" (also category 0)',
    ]);
  });

  it('rejects an unknown stage type, naming it', () => {
    const result = ProfileInputSchema.safeParse({ name: 'x', categories, stages: [{ type: 'magic' }] });
    expect(messages(result).join()).toMatch(/unknown stage type "magic": use one of rules, local, llm/);
  });

  it('rejects thresholds outside [0, 1]', () => {
    for (const threshold of [-0.1, 1.5]) {
      const result = ProfileInputSchema.safeParse({
        name: 'x',
        categories,
        stages: [{ type: 'rules', threshold }],
      });
      expect(messages(result)).toEqual(['stages.0.threshold: a threshold is a confidence between 0 and 1']);
    }
  });

  it('rejects stages with no classifier, or two sentiment stages', () => {
    expect(
      messages(ProfileInputSchema.safeParse({ name: 'x', categories, stages: [{ type: 'sentiment' }] })),
    ).toEqual(['stages: at least one classifier stage (rules, local, llm) is needed']);
    const twice = ProfileInputSchema.safeParse({
      name: 'x',
      categories,
      stages: [{ type: 'llm' }, { type: 'sentiment' }, { type: 'sentiment' }],
    });
    expect(messages(twice)).toEqual(['stages.2: only one sentiment stage is allowed']);
  });

  it('rejects a keyword regex the linear-time engine cannot take, naming the keyword', () => {
    const result = ProfileInputSchema.safeParse({
      name: 'x',
      categories: [{ name: 'a', keywords: ['/(a)\\1/'] }, { name: 'b' }],
    });
    expect(messages(result).join()).toMatch(
      /categories\.0\.keywords\.0: keyword \/\(a\)\\1\/: not a pattern the linear-time engine \(RE2\)/,
    );
  });

  it('rejects more than 20 regex keywords over all categories', () => {
    const keywords = Array.from({ length: 11 }, (_, i) => `/k${i}/`);
    const result = ProfileInputSchema.safeParse({
      name: 'x',
      categories: [
        { name: 'a', keywords },
        { name: 'b', keywords },
      ],
    });
    expect(messages(result).join()).toMatch(/at most 20 regular-expression keywords .* \(found 22\)/);
  });

  it('validates a patch with the same rules', () => {
    expect(ProfilePatchSchema.safeParse({ stages: [{ type: 'llm', threshold: 2 }] }).success).toBe(false);
    expect(ProfilePatchSchema.safeParse({ description: null, version: 3 }).success).toBe(true);
  });
});

describe('classification requests', () => {
  it('needs exactly one of text, documentId and segments, and of workflowId and categories', () => {
    expect(messages(EnhancedRequestSchema.safeParse({ categories }))).toEqual([
      'text: give one of text, documentId, segments',
    ]);
    const segments = [{ speaker: 'Dana', text: 'Hi.' }];
    expect(messages(EnhancedRequestSchema.safeParse({ text: 'hi', segments, categories }))).toEqual([
      'text: give one of text, documentId, segments',
    ]);
    expect(EnhancedRequestSchema.safeParse({ segments, categories }).success).toBe(true);
    expect(
      messages(EnhancedRequestSchema.safeParse({ text: 'hi', workflowId: crypto.randomUUID(), categories })),
    ).toEqual(['workflowId: give either workflowId or categories']);
  });

  it('rejects empty text', () => {
    expect(messages(EnhancedRequestSchema.safeParse({ text: '  \n', categories }))).toEqual([
      'text: the text is empty',
    ]);
  });

  it('takes up to 5000 documents in a batch, no more', () => {
    const documents = (n: number) => Array.from({ length: n }, (_, i) => ({ text: `doc ${i}` }));
    expect(BatchRequestSchema.safeParse({ documents: documents(5000), categories }).success).toBe(true);
    expect(messages(BatchRequestSchema.safeParse({ documents: documents(5001), categories }))).toEqual([
      'documents: a batch has at most 5000 documents',
    ]);
    expect(messages(BatchRequestSchema.safeParse({ documents: [], categories }))).toEqual([
      'documents: a batch needs at least one document',
    ]);
  });

  it('names the batch item with empty text', () => {
    const result = BatchRequestSchema.safeParse({ documents: [{ text: 'ok' }, { text: '' }], categories });
    expect(messages(result)).toEqual(['documents.1.text: the text is empty']);
  });
});
