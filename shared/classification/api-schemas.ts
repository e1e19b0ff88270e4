// Request and response schemas of the classification API (validated at the edge, published in its OpenAPI).
import { z } from '@hono/zod-openapi';
import { TranscriptSegmentsSchema } from '../ai/api-schemas.ts';
import { SentimentResultSchema } from '../ai/types.ts';
import { BATCH_STATUSES } from './batch-store.ts';
import {
  CategoryListSchema,
  ClassificationCategorySchema,
  InlineStagesSchema,
  StageSchema,
} from './definition.ts';

const MAX_TEXT_LENGTH = 100_000;
const MAX_BATCH_DOCUMENTS = 5_000;
/** All texts of one batch together, so one request cannot ask the database to hold gigabytes. */
const MAX_BATCH_CHARACTERS = 20_000_000;

const Uuid = z.string().uuid();
const Timestamp = z.string().openapi({ format: 'date-time' });

const Text = z
  .string()
  .max(MAX_TEXT_LENGTH, `a text has at most ${MAX_TEXT_LENGTH} characters`)
  .refine((text) => text.trim().length > 0, 'the text is empty');

const definitionFields = {
  workflowId: Uuid.optional().openapi({ description: 'A classification workflow of the caller' }),
  categories: CategoryListSchema.optional().openapi({
    description: 'Inline categories instead of a workflow',
  }),
  stages: InlineStagesSchema.optional().openapi({
    description: 'Stages for inline categories; the default cascade (rules, local, llm, sentiment, entities)',
  }),
};

type DefinitionFields = { workflowId?: string; categories?: unknown; stages?: unknown };

function checkDefinition(input: DefinitionFields, ctx: z.RefinementCtx) {
  if ((input.workflowId === undefined) === (input.categories === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['workflowId'], message: 'give either workflowId or categories' });
  }
  if (input.workflowId !== undefined && input.stages !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['stages'],
      message: 'stages come from the workflow; give them only with categories',
    });
  }
}

/** Exactly one of the sources (`text`, `documentId`, and for a single classification `segments`) is given. */
function checkSource(
  input: Record<string, unknown>,
  ctx: z.RefinementCtx,
  sources: readonly string[] = ['text', 'documentId'],
) {
  if (sources.filter((key) => input[key] !== undefined).length !== 1) {
    ctx.addIssue({ code: 'custom', path: ['text'], message: `give one of ${sources.join(', ')}` });
  }
}

/** `POST /classification/enhanced`. */
export const EnhancedRequestSchema = z
  .object({
    text: Text.optional(),
    documentId: Uuid.optional().openapi({ description: 'One of the caller’s documents, instead of text' }),
    segments: TranscriptSegmentsSchema.optional().openapi({
      description:
        'A transcript instead of text: its segment texts, joined by "\\n", are classified; the sentiment stage adds each speaker’s and each entity mention’s sentiment (as it does for a text or document of `Name: text` lines)',
    }),
    ...definitionFields,
  })
  .strict()
  .superRefine((input, ctx) => {
    checkSource(input, ctx, ['text', 'documentId', 'segments']);
    checkDefinition(input, ctx);
  })
  .openapi('EnhancedClassificationRequest');
export type EnhancedRequest = z.infer<typeof EnhancedRequestSchema>;

const BatchDocumentSchema = z
  .object({
    text: Text.optional(),
    documentId: Uuid.optional(),
    key: z.string().min(1).max(200).optional().openapi({ description: 'The caller’s own id for the item' }),
  })
  .strict()
  .superRefine((input, ctx) => checkSource(input, ctx));

/** `POST /classification/batch`. */
export const BatchRequestSchema = z
  .object({
    documents: z
      .array(BatchDocumentSchema)
      .min(1, 'a batch needs at least one document')
      .max(MAX_BATCH_DOCUMENTS, `a batch has at most ${MAX_BATCH_DOCUMENTS} documents`),
    ...definitionFields,
  })
  .strict()
  .superRefine((input, ctx) => {
    checkDefinition(input, ctx);
    const characters = input.documents.reduce((sum, doc) => sum + (doc.text?.length ?? 0), 0);
    if (characters > MAX_BATCH_CHARACTERS) {
      ctx.addIssue({
        code: 'custom',
        path: ['documents'],
        message: `the texts of a batch have at most ${MAX_BATCH_CHARACTERS} characters together`,
      });
    }
  })
  .openapi('ClassificationBatchRequest');
export type BatchRequest = z.infer<typeof BatchRequestSchema>;

const RankedSchema = z.object({ category: z.string(), confidence: z.number() });

const TraceEntrySchema = z
  .object({
    stage: z.number().int(),
    type: z.string(),
    status: z.enum(['accepted', 'handed_over', 'completed', 'skipped', 'failed']),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    category: z.string().optional(),
    confidence: z.number().optional(),
    threshold: z.number().optional(),
    latencyMs: z.number(),
    tokensIn: z.number().int(),
    tokensOut: z.number().int(),
    costUsd: z.number(),
    cached: z.boolean().optional(),
    reason: z.string().optional(),
  })
  .openapi('ClassificationTraceEntry');

export const ResultSchema = z
  .object({
    id: Uuid,
    batchId: Uuid.nullable(),
    itemIndex: z.number().int().nullable(),
    itemKey: z.string().nullable(),
    documentId: Uuid.nullable(),
    status: z.enum(['pending', 'completed', 'failed']),
    category: z.string().nullable(),
    confidence: z.number().nullable(),
    alternatives: z.array(RankedSchema),
    sentiment: SentimentResultSchema.nullable().openapi({
      description:
        'The sentiment stage: document label, four scores and sentences; for a transcript also speakers and targets',
    }),
    entities: z.array(z.object({ text: z.string(), type: z.string(), start: z.number(), end: z.number() })),
    trace: z.array(TraceEntrySchema),
    error: z.string().nullable(),
    attempts: z.number().int(),
    costUsd: z.number(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('ClassificationResult');

const SummarySchema = z
  .object({
    categories: z.record(z.string(), z.number().int()),
    unclassified: z.number().int(),
    meanConfidence: z.number().nullable(),
    totalCostUsd: z.number(),
  })
  .openapi('ClassificationBatchSummary');

const BatchFields = {
  id: Uuid,
  workflowId: Uuid.nullable(),
  status: z.enum(BATCH_STATUSES),
  counts: z.object({
    total: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    pending: z.number().int(),
  }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  completedAt: Timestamp.nullable(),
};

export const BatchAcceptedSchema = z.object(BatchFields).openapi('ClassificationBatchAccepted');

export const BatchSchema = z
  .object({
    ...BatchFields,
    summary: SummarySchema,
    results: z.object({
      items: z.array(ResultSchema),
      limit: z.number().int(),
      offset: z.number().int(),
    }),
  })
  .openapi('ClassificationBatch');

export const BatchQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(MAX_BATCH_DOCUMENTS).default(0),
  status: z.enum(['pending', 'completed', 'failed']).optional(),
});

export const RetryAcceptedSchema = z
  .object({ ...BatchFields, retried: z.number().int() })
  .openapi('ClassificationBatchRetry');

export const ProfileSchema = z
  .object({
    id: Uuid,
    name: z.string(),
    description: z.string().nullable(),
    categories: z.array(ClassificationCategorySchema),
    stages: z.array(StageSchema),
    isActive: z.boolean(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('ClassificationWorkflow');

export const ProfileListSchema = z
  .object({ items: z.array(ProfileSchema), total: z.number().int(), limit: z.number(), offset: z.number() })
  .openapi('ClassificationWorkflowList');

export const ProfileListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  includeInactive: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true'),
});

export const IdParams = z.object({ id: Uuid.openapi({ param: { name: 'id', in: 'path' } }) });
