import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireUser } from '../../http/auth.ts';
import type { AppEnv } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { PiiEntitySchema, PiiTypeSchema, redactPii } from '../local/pii.ts';

export const RedactRequestSchema = z
  .object({
    text: z.string().min(1).max(100_000),
    mode: z.enum(['mask', 'replace']).default('replace').openapi({
      description:
        'mask: every character of a mention becomes maskCharacter (offsets stay valid); replace: the type in brackets, e.g. [EMAIL] (Comprehend REPLACE_WITH_PII_ENTITY_TYPE)',
    }),
    maskCharacter: z
      .string()
      .regex(/^[^\p{L}\p{N}\s]$/u, 'one symbol character')
      .default('*')
      .openapi({ description: 'mask mode: one symbol (not a letter, digit or space)' }),
    types: z
      .array(PiiTypeSchema)
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'types must be unique')
      .optional()
      .openapi({ description: 'The PII types to redact; all when omitted' }),
  })
  .strict()
  .openapi('RedactRequest');

export const RedactResponseSchema = z
  .object({
    text: z.string(),
    entities: z.array(PiiEntitySchema.meta({ id: 'PiiEntity' })),
    counts: z.record(PiiTypeSchema, z.number().int()),
  })
  .openapi('RedactResponse');

/** `POST /ai/redact`: PII found and redacted offline; the log line holds counts by type, never the values. */
export function registerRedactRoute(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/redact',
      summary:
        'Finds PII (emails, phones, cards, IBANs, national ids, IP addresses, names) and masks it or replaces it with its type',
      security: [{ bearer: [] }],
      middleware: [requireUser()] as const,
      request: { body: { required: true, content: { 'application/json': { schema: RedactRequestSchema } } } },
      responses: {
        200: {
          description: 'The redacted text',
          content: { 'application/json': { schema: RedactResponseSchema } },
        },
        ...errorResponses,
      },
    }),
    (c) => {
      const { text, mode, maskCharacter, types } = c.req.valid('json');
      const redaction = redactPii(text, { mode, maskCharacter, types });
      c.get('logger').info('pii redacted', { mode, counts: redaction.counts });
      return c.json(redaction, 200);
    },
  );
}
