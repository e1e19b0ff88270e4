// Request and response schemas of the workflows API (validated at the edge, published in its OpenAPI document).
import { z } from '@hono/zod-openapi';
import { StepSchema } from './definition.ts';
import { EXECUTION_STATUSES, STEP_STATUSES } from './types.ts';

const Uuid = z.string().uuid();
const Timestamp = z.string().openapi({ format: 'date-time' });

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const WorkflowSchema = z
  .object({
    id: Uuid,
    userId: Uuid,
    name: z.string(),
    description: z.string().nullable(),
    steps: z.array(StepSchema),
    version: z.number().int(),
    isActive: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Workflow');

export const WorkflowListSchema = z
  .object({ items: z.array(WorkflowSchema), total: z.number().int(), limit: z.number(), offset: z.number() })
  .openapi('WorkflowList');

export const WorkflowIdParams = z.object({
  workflowId: Uuid.openapi({ param: { name: 'workflowId', in: 'path' } }),
});
export const IdParams = z.object({ id: Uuid.openapi({ param: { name: 'id', in: 'path' } }) });

export const ExecuteBodySchema = z
  .object({
    documentId: Uuid,
    expiresInSeconds: z
      .number()
      .int()
      .min(1)
      .max(30 * 86_400)
      .optional()
      .openapi({ description: 'Deadline of the whole execution; 7 days when left out' }),
  })
  .strict()
  .openapi('ExecuteWorkflow');

export const ExecutionSchema = z
  .object({
    id: Uuid,
    userId: Uuid,
    workflowId: Uuid,
    workflowVersion: z.number().int(),
    documentId: Uuid,
    status: z.enum(EXECUTION_STATUSES),
    definition: z.object({ name: z.string(), steps: z.array(StepSchema) }),
    currentStepId: z.string().nullable(),
    error: z.string().nullable(),
    expiresAt: Timestamp.nullable(),
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('WorkflowExecution');

const StepRunSchema = z
  .object({
    executionId: Uuid,
    stepId: z.string(),
    stepType: z.string(),
    status: z.enum(STEP_STATUSES),
    output: z.unknown(),
    error: z.string().nullable(),
    attempts: z.number().int(),
    leaseUntil: Timestamp.nullable(),
    nextAttemptAt: Timestamp.nullable(),
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
    durationMs: z.number().nullable(),
  })
  .openapi('WorkflowStepRun');

export const ExecutionDetailSchema = ExecutionSchema.extend({ steps: z.array(StepRunSchema) }).openapi(
  'WorkflowExecutionDetail',
);

export const ExecutionListSchema = z
  .object({ items: z.array(ExecutionSchema), total: z.number().int(), limit: z.number(), offset: z.number() })
  .openapi('WorkflowExecutionList');

export const ExecutionQuerySchema = PageQuerySchema.extend({
  workflowId: Uuid.optional(),
  documentId: Uuid.optional(),
  status: z.enum(EXECUTION_STATUSES).optional(),
});

export const ExecuteResponseSchema = z
  .object({ executionId: Uuid, status: z.enum(EXECUTION_STATUSES), execution: ExecutionSchema })
  .openapi('ExecutionStarted');

const ApprovalSchema = z
  .object({
    id: Uuid,
    executionId: Uuid,
    stepId: z.string(),
    userId: Uuid,
    approverId: Uuid.nullable(),
    requestedBy: z
      .object({ userId: Uuid, email: z.string().nullable() })
      .optional()
      .openapi({ description: 'Who asked: the owner of the execution waiting for this approval' }),
    status: z.enum(['pending', 'approved', 'rejected', 'expired']),
    comment: z.string().nullable(),
    decidedBy: Uuid.nullable(),
    decidedAt: Timestamp.nullable(),
    expiresAt: Timestamp.nullable(),
    instructions: z.string().nullable(),
    workflowName: z.string().nullable(),
    createdAt: Timestamp,
  })
  .openapi('WorkflowApproval');

export const ApprovalListSchema = z
  .object({ items: z.array(ApprovalSchema), total: z.number().int(), limit: z.number(), offset: z.number() })
  .openapi('WorkflowApprovalList');

export const DecisionBodySchema = z
  .object({ decision: z.enum(['approve', 'reject']), comment: z.string().trim().max(2000).optional() })
  .strict()
  .openapi('ApprovalDecision');

export const DecisionResponseSchema = z
  .object({
    approval: ApprovalSchema,
    changed: z.boolean().openapi({ description: 'False when the same decision had already been recorded' }),
  })
  .openapi('ApprovalDecisionResult');
