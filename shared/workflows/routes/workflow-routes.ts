import { createRoute, z } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { createRouter } from '../../http/app.ts';
import { currentUser, requireUser } from '../../http/auth.ts';
import { formatIssues } from '../../http/error-handler.ts';
import { badRequest } from '../../http/errors.ts';
import { ErrorSchema, errorResponses, json } from '../../http/schemas.ts';
import { WorkflowInputSchema, WorkflowUpdateSchema } from '../definition.ts';
import { PageQuerySchema, WorkflowIdParams, WorkflowListSchema, WorkflowSchema } from '../schemas.ts';
import type { WorkflowService } from '../workflow-service.ts';

const notFoundResponse = { 404: json(ErrorSchema, 'No such workflow') };

/** Rejects a bad definition with a message that names every problem, not just "Invalid json". */
function definitionHook(result: { success: boolean; error?: unknown; target: string }): undefined {
  if (result.success) return undefined;
  const issues = formatIssues(result.error as ZodError);
  if (result.target !== 'json') throw badRequest(`Invalid ${result.target}`, issues);
  const summary = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message));
  throw badRequest(`Invalid workflow definition: ${summary.join('; ')}`, issues);
}

/** Create, list, read, update (new version) and deactivate workflow definitions. */
export function workflowRoutes(workflows: WorkflowService) {
  const app = createRouter();
  const auth = { security: [{ bearer: [] }], middleware: [requireUser()] };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      summary: 'Create a workflow: named, ordered steps with optional JsonLogic conditions',
      ...auth,
      request: { body: { required: true, content: { 'application/json': { schema: WorkflowInputSchema } } } },
      responses: { 201: json(WorkflowSchema, 'The stored workflow, version 1'), ...errorResponses },
    }),
    async (c) => c.json(await workflows.create(currentUser(c), c.req.valid('json')), 201),
    definitionHook,
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: "The caller's workflows, newest first",
      ...auth,
      request: {
        query: PageQuerySchema.extend({
          includeInactive: z
            .enum(['true', 'false'])
            .optional()
            .transform((value) => value === 'true'),
        }),
      },
      responses: { 200: json(WorkflowListSchema, 'A page of workflows'), ...errorResponses },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await workflows.list(currentUser(c), query);
      return c.json({ ...page, limit: query.limit, offset: query.offset }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{workflowId}',
      summary: 'One workflow',
      ...auth,
      request: { params: WorkflowIdParams },
      responses: { 200: json(WorkflowSchema, 'The workflow'), ...notFoundResponse, ...errorResponses },
    }),
    async (c) => c.json(await workflows.get(currentUser(c), c.req.valid('param').workflowId), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/{workflowId}',
      summary:
        'Replace the definition as a new version; running executions keep the version they started with',
      ...auth,
      request: {
        params: WorkflowIdParams,
        body: { required: true, content: { 'application/json': { schema: WorkflowUpdateSchema } } },
      },
      responses: {
        200: json(WorkflowSchema, 'The workflow at its new version'),
        ...notFoundResponse,
        409: json(ErrorSchema, 'Deactivated, or edited meanwhile'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { version, ...input } = c.req.valid('json');
      const id = c.req.valid('param').workflowId;
      return c.json(await workflows.update(currentUser(c), id, input, version), 200);
    },
    definitionHook,
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{workflowId}/deactivate',
      summary: 'Deactivate a workflow: no new executions, running ones go on (idempotent)',
      ...auth,
      request: { params: WorkflowIdParams },
      responses: {
        200: json(WorkflowSchema, 'The deactivated workflow'),
        ...notFoundResponse,
        ...errorResponses,
      },
    }),
    async (c) => c.json(await workflows.deactivate(currentUser(c), c.req.valid('param').workflowId), 200),
  );
  return app;
}
