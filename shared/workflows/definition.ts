import { z } from '@hono/zod-openapi';
import { checkLogic } from './conditions.ts';

const STEP_TYPES = ['classification', 'analysis', 'routing', 'approval', 'notification'] as const;
export type StepType = (typeof STEP_TYPES)[number];

/** A JsonLogic rule (https://jsonlogic.com): checked for known operators and step references on save. */
const JsonLogicSchema = z
  .unknown()
  .refine((value) => value !== undefined, 'a JsonLogic rule is required')
  .openapi({
    description:
      'A JsonLogic rule over `{document, steps}`; `{"var": "steps.<id>.output..."}` reads an earlier step',
    example: { '==': [{ var: 'steps.classify.output.category' }, 'contract'] },
  });

/** Per-step retry policy; the step type's defaults apply to what is left out. */
const RetryPolicySchema = z
  .object({
    attempts: z.number().int().min(1).max(10).optional(),
    backoffSeconds: z.number().min(0).max(3600).optional(),
    maxBackoffSeconds: z.number().min(0).max(86_400).optional(),
  })
  .strict()
  .openapi('RetryPolicy');
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

const DestinationSchema = z
  .object({ type: z.enum(['team', 'queue', 'user']), id: z.string().trim().min(1).max(200) })
  .strict()
  .openapi('RoutingDestination');
export type Destination = z.infer<typeof DestinationSchema>;

const StepId = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,62}$/, 'a step id is a letter followed by letters, digits, _ or - (≤ 63)');

const stepBase = {
  id: StepId,
  name: z.string().trim().min(1).max(200).optional(),
  condition: JsonLogicSchema.optional(),
  retry: RetryPolicySchema.optional(),
  timeoutSeconds: z.number().int().min(1).max(900).optional(),
};

const CategorySchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().max(1000).optional(),
    keywords: z.array(z.string().min(1).max(100)).max(100).optional(),
  })
  .strict();

const ClassificationConfigSchema = z
  .object({
    classificationWorkflowId: z.string().uuid().optional(),
    categories: z.array(CategorySchema).min(2).max(50).optional(),
  })
  .strict()
  .refine((c) => (c.classificationWorkflowId === undefined) !== (c.categories === undefined), {
    message: 'give either classificationWorkflowId or categories (at least two), not both',
  });

const AnalysisConfigSchema = z
  .object({
    include: z
      .array(z.enum(['summary', 'key_points', 'action_items', 'risks']))
      .min(1)
      .default(['summary', 'key_points', 'action_items', 'risks']),
  })
  .strict();

const RoutingConfigSchema = z
  .object({
    rules: z
      .array(z.object({ when: JsonLogicSchema, destination: DestinationSchema }).strict())
      .min(1)
      .max(50),
    fallback: DestinationSchema.optional(),
  })
  .strict();

const ApprovalConfigSchema = z
  .object({
    approverId: z.string().uuid().optional(),
    expiresInSeconds: z
      .number()
      .int()
      .min(1)
      .max(30 * 86_400)
      .optional(),
    instructions: z.string().max(2000).optional(),
  })
  .strict();

const WebhookSchema = z
  .object({
    url: z
      .string()
      .url()
      .refine((url) => /^https?:\/\//i.test(url), 'the webhook URL must be http or https'),
    secret: z.string().min(16, 'the webhook secret must have at least 16 characters').max(256),
  })
  .strict();

const NotificationConfigSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    message: z.string().max(2000).optional(),
    webhook: WebhookSchema.optional(),
  })
  .strict();

const step = <T extends StepType, C extends z.ZodType>(type: T, config: C) =>
  z.object({ ...stepBase, type: z.literal(type), config }).strict();

export const StepSchema = z
  .discriminatedUnion(
    'type',
    [
      step('classification', ClassificationConfigSchema),
      step('analysis', AnalysisConfigSchema.prefault({})),
      step('routing', RoutingConfigSchema),
      step('approval', ApprovalConfigSchema.prefault({})),
      step('notification', NotificationConfigSchema),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union'
          ? `unknown step type ${JSON.stringify((issue.input as { type?: unknown } | undefined)?.type ?? null)}; expected one of ${STEP_TYPES.join(', ')}`
          : undefined,
    },
  )
  .openapi('WorkflowStep');
export type Step = z.infer<typeof StepSchema>;
export type StepOf<T extends StepType> = Extract<Step, { type: T }>;

/** Cross-step rules zod cannot express per field: unique ids and conditions that only look backwards. */
function checkSteps(steps: Step[], ctx: z.RefinementCtx) {
  const earlier = new Set<string>();
  steps.forEach((s, index) => {
    if (earlier.has(s.id)) {
      ctx.addIssue({ code: 'custom', path: ['steps', index, 'id'], message: `duplicate step id "${s.id}"` });
    }
    const report = (path: (string | number)[], problems: string[]) => {
      for (const message of problems)
        ctx.addIssue({ code: 'custom', path: ['steps', index, ...path], message });
    };
    if (s.condition !== undefined) report(['condition'], checkLogic(s.condition, earlier));
    if (s.type === 'routing') {
      s.config.rules.forEach((rule, r) => {
        report(['config', 'rules', r, 'when'], checkLogic(rule.when, earlier));
      });
    }
    earlier.add(s.id);
  });
}

const WorkflowFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  steps: z.array(StepSchema).min(1, 'a workflow needs at least one step').max(50),
};

/** The body of `POST /workflows` and `PUT /workflows/:id`: a complete workflow definition. */
export const WorkflowInputSchema = z
  .object(WorkflowFields)
  .strict()
  .superRefine((value, ctx) => checkSteps(value.steps, ctx))
  .openapi('WorkflowInput');
export type WorkflowInput = z.infer<typeof WorkflowInputSchema>;

/** The body of `PUT /workflows/:id`: a complete definition, and optionally the version it was edited from. */
export const WorkflowUpdateSchema = z
  .object({
    ...WorkflowFields,
    version: z
      .number()
      .int()
      .min(1)
      .optional()
      .openapi({ description: 'The version this edit started from; a different current version is a 409' }),
  })
  .strict()
  .superRefine((value, ctx) => checkSteps(value.steps, ctx))
  .openapi('WorkflowUpdate');
