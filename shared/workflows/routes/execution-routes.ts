import { createRoute } from '@hono/zod-openapi';
import { createRouter, type Router } from '../../http/app.ts';
import { currentUser, requireUser } from '../../http/auth.ts';
import { ErrorSchema, errorResponses, json } from '../../http/schemas.ts';
import type { ExecutionService } from '../execution-service.ts';
import {
  ExecuteBodySchema,
  ExecuteResponseSchema,
  ExecutionDetailSchema,
  ExecutionListSchema,
  ExecutionQuerySchema,
  ExecutionSchema,
  IdParams,
  WorkflowIdParams,
} from '../schemas.ts';

/** `/workflows/executions`: list and inspect executions, and pause, resume or cancel them. */
export function executionRoutes(executions: ExecutionService) {
  const app = createRouter();
  const auth = { security: [{ bearer: [] }], middleware: [requireUser()] };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: "The caller's executions, filtered by workflow, document or status",
      ...auth,
      request: { query: ExecutionQuerySchema },
      responses: { 200: json(ExecutionListSchema, 'A page of executions'), ...errorResponses },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await executions.list(currentUser(c), query);
      return c.json({ ...page, limit: query.limit, offset: query.offset }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      summary: 'One execution with its step-by-step trace',
      ...auth,
      request: { params: IdParams },
      responses: {
        200: json(ExecutionDetailSchema, 'The execution and every step run'),
        404: json(ErrorSchema, 'No such execution'),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await executions.get(currentUser(c), c.req.valid('param').id), 200),
  );

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/{id}/${action}`,
        summary: {
          pause: 'Pause: the step in flight finishes, the next one does not start',
          resume: 'Resume a paused execution where it stopped',
          cancel: 'Cancel an unfinished execution',
        }[action],
        ...auth,
        request: { params: IdParams },
        responses: {
          200: json(ExecutionSchema, 'The execution after the change'),
          404: json(ErrorSchema, 'No such execution'),
          409: json(ErrorSchema, 'Not allowed from the current state (named in the error)'),
          ...errorResponses,
        },
      }),
      async (c) => c.json(await executions.transition(currentUser(c), c.req.valid('param').id, action), 200),
    );
  }
  return app;
}

/** `POST /{workflowId}/execute`: starts a durable execution and answers 202 with its id. */
export function registerExecuteRoute(app: Router, executions: ExecutionService) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/{workflowId}/execute',
      summary: 'Run the workflow on a document in the background',
      security: [{ bearer: [] }],
      middleware: [requireUser()],
      request: {
        params: WorkflowIdParams,
        body: { required: true, content: { 'application/json': { schema: ExecuteBodySchema } } },
      },
      responses: {
        202: json(ExecuteResponseSchema, 'Accepted: the execution is queued'),
        404: json(ErrorSchema, 'No such workflow or document'),
        409: json(ErrorSchema, 'The workflow is deactivated'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const execution = await executions.execute(
        currentUser(c),
        c.req.valid('param').workflowId,
        c.req.valid('json'),
      );
      c.header('Location', `${c.req.path.replace(/\/[^/]+\/execute$/, '')}/executions/${execution.id}`);
      return c.json({ executionId: execution.id, status: execution.status, execution }, 202);
    },
  );
}
