import { createRoute } from '@hono/zod-openapi';
import type { FunctionApp } from '../../http/app.ts';
import { currentUser, requireUser } from '../../http/auth.ts';
import { ErrorSchema, errorResponses, json } from '../../http/schemas.ts';
import { IdParams, ProfileListQuerySchema, ProfileListSchema, ProfileSchema } from '../api-schemas.ts';
import { ProfileInputSchema, ProfilePatchSchema } from '../definition.ts';
import type { ClassificationDeps } from '../deps.ts';
import {
  createProfile,
  getProfile,
  listUserProfiles,
  patchProfile,
  retireProfile,
} from '../profile-service.ts';
import { namingHook } from './validation-hook.ts';

const notFoundResponse = { 404: json(ErrorSchema, 'No such workflow of the caller') };
const hook = namingHook('classification workflow');

/** Create, list, read, update and deactivate classification workflows under `/classification/workflows`. */
export function registerProfileRoutes(app: FunctionApp, deps: ClassificationDeps) {
  const auth = { security: [{ bearer: [] }], middleware: [requireUser()] };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/workflows',
      summary: 'create_classification_workflow: categories and ordered stages, validated and stored',
      ...auth,
      request: { body: { required: true, content: { 'application/json': { schema: ProfileInputSchema } } } },
      responses: {
        201: json(ProfileSchema, 'The stored workflow, version 1'),
        409: json(ErrorSchema, 'An active workflow of the caller has that name'),
        ...errorResponses,
      },
    }),
    async (c) => c.json(await createProfile(deps, currentUser(c), c.req.valid('json')), 201),
    hook,
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/workflows',
      summary: "The caller's classification workflows, newest first",
      ...auth,
      request: { query: ProfileListQuerySchema },
      responses: { 200: json(ProfileListSchema, 'A page of workflows'), ...errorResponses },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await listUserProfiles(deps, currentUser(c), query);
      return c.json({ ...page, limit: query.limit, offset: query.offset }, 200);
    },
    hook,
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/workflows/{id}',
      summary: 'One classification workflow',
      ...auth,
      request: { params: IdParams },
      responses: { 200: json(ProfileSchema, 'The workflow'), ...notFoundResponse, ...errorResponses },
    }),
    async (c) => c.json(await getProfile(deps, currentUser(c), c.req.valid('param').id), 200),
    hook,
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/workflows/{id}',
      summary: 'Change any of name, description, categories, stages: saved as the next version',
      description:
        'Batches keep the definition they were submitted with; `version` makes the change a compare-and-set.',
      ...auth,
      request: {
        params: IdParams,
        body: { required: true, content: { 'application/json': { schema: ProfilePatchSchema } } },
      },
      responses: {
        200: json(ProfileSchema, 'The workflow at its new version'),
        ...notFoundResponse,
        409: json(ErrorSchema, 'Deactivated, changed meanwhile, or the new name is taken'),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(await patchProfile(deps, currentUser(c), c.req.valid('param').id, c.req.valid('json')), 200),
    hook,
  );

  const deactivate = (method: 'post' | 'delete', path: string) =>
    app.openapi(
      createRoute({
        method,
        path,
        summary: 'Deactivate a classification workflow: no new classifications use it (idempotent)',
        ...auth,
        request: { params: IdParams },
        responses: {
          200: json(ProfileSchema, 'The deactivated workflow'),
          ...notFoundResponse,
          ...errorResponses,
        },
      }),
      async (c) => c.json(await retireProfile(deps, currentUser(c), c.req.valid('param').id), 200),
      hook,
    );
  deactivate('post', '/workflows/{id}/deactivate');
  deactivate('delete', '/workflows/{id}');
}
