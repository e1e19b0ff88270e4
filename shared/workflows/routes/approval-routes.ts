import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../../http/app.ts';
import { currentUser, requireUser } from '../../http/auth.ts';
import { ErrorSchema, errorResponses, json } from '../../http/schemas.ts';
import type { ApprovalService } from '../approval-service.ts';
import {
  ApprovalListSchema,
  DecisionBodySchema,
  DecisionResponseSchema,
  IdParams,
  PageQuerySchema,
} from '../schemas.ts';

/** `/workflows/approvals`: the approver's inbox and decisions. */
export function approvalRoutes(approvals: ApprovalService) {
  const app = createRouter();
  const auth = { security: [{ bearer: [] }], middleware: [requireUser()] };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Pending approvals waiting for the caller',
      ...auth,
      request: { query: PageQuerySchema },
      responses: { 200: json(ApprovalListSchema, 'A page of pending approvals'), ...errorResponses },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await approvals.inbox(currentUser(c), query);
      return c.json({ ...page, limit: query.limit, offset: query.offset }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/decision',
      summary: 'Approve or reject; the same decision twice is answered again, a different one is a 409',
      ...auth,
      request: {
        params: IdParams,
        body: { required: true, content: { 'application/json': { schema: DecisionBodySchema } } },
      },
      responses: {
        200: json(DecisionResponseSchema, 'The recorded decision'),
        404: json(ErrorSchema, 'No such approval visible to the caller'),
        409: json(ErrorSchema, 'Already decided otherwise, or expired'),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(await approvals.decide(currentUser(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  return app;
}
