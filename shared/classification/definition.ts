// What a classification workflow is made of: categories to choose between and the stages that choose.
// Validated once here, at the edge; the rest of the code trusts a parsed definition.
import { z } from '@hono/zod-openapi';
import { checkPattern, isPattern, MAX_PATTERNS } from './patterns.ts';

export const CLASSIFIER_STAGES = ['rules', 'local', 'llm'] as const;
const STAGE_TYPES = [...CLASSIFIER_STAGES, 'sentiment', 'entities'] as const;

const Keyword = z
  .string()
  .min(1)
  .max(200)
  .superRefine((keyword, ctx) => {
    if (!isPattern(keyword)) return;
    const problem = checkPattern(keyword);
    if (problem) ctx.addIssue({ code: 'custom', message: `keyword ${keyword}: ${problem}` });
  })
  .openapi({
    description: 'A word or phrase matched as a whole word, or a regular expression written `/…/flags`',
  });

export const ClassificationCategorySchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().max(1000).optional(),
    keywords: z.array(Keyword).max(100).optional(),
    examples: z.array(z.string().min(1).max(2000)).max(20).optional(),
  })
  .strict()
  .openapi('ClassificationCategory');
export type ClassificationCategory = z.infer<typeof ClassificationCategorySchema>;

const Threshold = z
  .number()
  .min(0, 'a threshold is a confidence between 0 and 1')
  .max(1, 'a threshold is a confidence between 0 and 1')
  .optional()
  .openapi({
    description: 'Below this confidence the next classifier stage runs; without it the stage decides',
  });

const classifier = <T extends (typeof CLASSIFIER_STAGES)[number]>(type: T) =>
  z.object({ type: z.literal(type), threshold: Threshold }).strict();

export const StageSchema = z
  .discriminatedUnion(
    'type',
    [
      classifier('rules'),
      classifier('local'),
      classifier('llm'),
      z
        .object({ type: z.literal('sentiment'), provider: z.enum(['local', 'llm']).default('local') })
        .strict(),
      z.object({ type: z.literal('entities'), provider: z.enum(['local', 'llm']).default('local') }).strict(),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union' && issue.note === 'No matching discriminator'
          ? `unknown stage type ${JSON.stringify((issue.input as { type?: unknown })?.type)}: use one of ${STAGE_TYPES.join(', ')}`
          : undefined,
    },
  )
  .openapi('ClassificationStage');
export type Stage = z.infer<typeof StageSchema>;

/** The cascade used when a request names categories but no workflow: rules, the local model, then the LLM. */
export const DEFAULT_STAGES: Stage[] = [
  { type: 'rules', threshold: 0.8 },
  { type: 'local', threshold: 0.75 },
  { type: 'llm' },
  { type: 'sentiment', provider: 'local' },
  { type: 'entities', provider: 'local' },
];

function checkCategories(
  categories: ClassificationCategory[],
  ctx: z.RefinementCtx,
  path: (string | number)[],
) {
  const patterns = categories.flatMap((category) => (category.keywords ?? []).filter(isPattern)).length;
  if (patterns > MAX_PATTERNS)
    ctx.addIssue({
      code: 'custom',
      path,
      message: `at most ${MAX_PATTERNS} regular-expression keywords are allowed over all categories (found ${patterns})`,
    });
  const seen = new Map<string, number>();
  categories.forEach((category, index) => {
    const key = category.name.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else
      ctx.addIssue({
        code: 'custom',
        path: [...path, index, 'name'],
        message: `duplicate category name "${category.name}" (also category ${first})`,
      });
  });
}

function checkStages(stages: Stage[], ctx: z.RefinementCtx, path: (string | number)[]) {
  if (!stages.some((stage) => (CLASSIFIER_STAGES as readonly string[]).includes(stage.type))) {
    ctx.addIssue({
      code: 'custom',
      path,
      message: `at least one classifier stage (${CLASSIFIER_STAGES.join(', ')}) is needed`,
    });
  }
  for (const once of ['sentiment', 'entities'] as const) {
    const at = stages.flatMap((stage, index) => (stage.type === once ? [index] : []));
    if (at.length > 1)
      ctx.addIssue({ code: 'custom', path: [...path, at[1]!], message: `only one ${once} stage is allowed` });
  }
}

/** Categories given inline in a request: at least two, names unique (case-insensitively). */
export const CategoryListSchema = z
  .array(ClassificationCategorySchema)
  .min(2, 'at least two categories are needed to choose between')
  .max(100)
  .superRefine((categories, ctx) => checkCategories(categories, ctx, []));

const StageListSchema = z.array(StageSchema).min(1, 'at least one stage is needed').max(10);

const profileFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  categories: z
    .array(ClassificationCategorySchema)
    .min(2, 'at least two categories are needed to choose between')
    .max(100),
  stages: StageListSchema.optional().openapi({
    description: 'Run in order; the default cascade when left out',
  }),
};

/** `POST /classification/workflows`: a new workflow. */
export const ProfileInputSchema = z
  .object(profileFields)
  .strict()
  .superRefine((input, ctx) => {
    checkCategories(input.categories, ctx, ['categories']);
    if (input.stages) checkStages(input.stages, ctx, ['stages']);
  })
  .openapi('ClassificationWorkflowInput');
export type ProfileInput = z.infer<typeof ProfileInputSchema>;

/** `PATCH /classification/workflows/:id`: any of the fields, and `version` for a compare-and-set. */
export const ProfilePatchSchema = z
  .object({
    name: profileFields.name.optional(),
    description: z.string().max(2000).nullable().optional(),
    categories: profileFields.categories.optional(),
    stages: StageListSchema.optional(),
    version: z
      .number()
      .int()
      .min(1)
      .optional()
      .openapi({ description: 'Fails with 409 unless still current' }),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.categories) checkCategories(input.categories, ctx, ['categories']);
    if (input.stages) checkStages(input.stages, ctx, ['stages']);
  })
  .openapi('ClassificationWorkflowPatch');
export type ProfilePatch = z.infer<typeof ProfilePatchSchema>;

/** Inline stages (with inline categories) follow the same rules as a stored workflow's. */
export const InlineStagesSchema = StageListSchema.superRefine((stages, ctx) => checkStages(stages, ctx, []));
