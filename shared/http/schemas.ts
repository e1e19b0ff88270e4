import { z } from '@hono/zod-openapi';

/** The body of every error response. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'bad_request' }),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string(), code: z.string() })).optional(),
      requestId: z.string().optional(),
    }),
  })
  .openapi('Error');

/** Standard error responses every authenticated route can produce. */
export const errorResponses = {
  400: { description: 'Invalid input', content: { 'application/json': { schema: ErrorSchema } } },
  401: { description: 'Missing or invalid token', content: { 'application/json': { schema: ErrorSchema } } },
  403: {
    description: 'Token may not call this route',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  500: {
    description: 'Unexpected error (request id only)',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  503: {
    description: 'Database at capacity or unreachable; nothing was done. Retry after the Retry-After seconds',
    headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' } },
    content: { 'application/json': { schema: ErrorSchema } },
  },
} as const;

/** A JSON response of an OpenAPI route: `responses: { 200: json(Schema, 'What it is') }`. */
export const json = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
