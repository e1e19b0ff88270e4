import { createRoute } from '@hono/zod-openapi';
import type { FunctionApp } from '../../http/app.ts';
import { currentUser, requireUser } from '../../http/auth.ts';
import { ErrorSchema, errorResponses, json } from '../../http/schemas.ts';
import {
  BatchAcceptedSchema,
  BatchQuerySchema,
  BatchRequestSchema,
  BatchSchema,
  EnhancedRequestSchema,
  IdParams,
  ResultSchema,
  RetryAcceptedSchema,
} from '../api-schemas.ts';
import { getBatch, retryBatch, submitBatch } from '../batch-service.ts';
import type { Batch } from '../batch-store.ts';
import type { ClassificationDeps } from '../deps.ts';
import { classifyEnhanced } from '../enhanced-service.ts';
import { namingHook } from './validation-hook.ts';

const batchNotFound = { 404: json(ErrorSchema, 'No such batch of the caller') };

const accepted = ({ request: _request, summary: _summary, userId: _userId, ...batch }: Batch) => batch;

/** `POST /classification/enhanced`, `POST /classification/batch`, `GET /classification/batches/:id`, retry. */
export function registerClassifyRoutes(app: FunctionApp, deps: ClassificationDeps) {
  const auth = { security: [{ bearer: [] }], middleware: [requireUser()] };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/enhanced',
      summary:
        'classify_document_enhanced: category, confidence, sentiment, entities and the trace of every stage',
      description:
        'Classifier stages run in order while the previous one is below its threshold, so the LLM is asked only ' +
        'when cheaper stages are unsure. The result is stored in classification_results.',
      ...auth,
      request: {
        body: { required: true, content: { 'application/json': { schema: EnhancedRequestSchema } } },
      },
      responses: {
        200: json(ResultSchema, 'The stored classification'),
        404: json(ErrorSchema, 'No such document or workflow of the caller'),
        409: json(ErrorSchema, 'The workflow is deactivated'),
        429: json(ErrorSchema, 'The AI provider is busy; see Retry-After'),
        502: json(ErrorSchema, 'The AI provider failed'),
        504: json(ErrorSchema, 'The AI provider did not answer in time'),
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(await classifyEnhanced(deps, currentUser(c), c.req.valid('json'), c.get('requestId')), 200),
    namingHook('classification request'),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/batch',
      summary: 'Classify up to 5,000 documents in the background; answers at once with the batch id',
      ...auth,
      request: { body: { required: true, content: { 'application/json': { schema: BatchRequestSchema } } } },
      responses: {
        202: json(BatchAcceptedSchema, 'The queued batch'),
        404: json(ErrorSchema, 'No such workflow of the caller'),
        409: json(ErrorSchema, 'The workflow is deactivated'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const batch = await submitBatch(deps, currentUser(c), c.req.valid('json'));
      c.header('Location', `/classification/batches/${batch.id}`);
      return c.json(accepted(batch), 202);
    },
    namingHook('batch'),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/batches/{id}',
      summary: 'A batch: status, counts, a page of results (in item order) and the summary',
      ...auth,
      request: { params: IdParams, query: BatchQuerySchema },
      responses: { 200: json(BatchSchema, 'The batch'), ...batchNotFound, ...errorResponses },
    }),
    async (c) => {
      const {
        request: _request,
        userId: _userId,
        ...report
      } = await getBatch(deps, currentUser(c), c.req.valid('param').id, c.req.valid('query'));
      return c.json(report, 200);
    },
    namingHook('query'),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/batches/{id}/retry',
      summary: "Classify a finished batch's failed items again",
      ...auth,
      request: { params: IdParams },
      responses: {
        202: json(RetryAcceptedSchema, 'The batch, queued again'),
        ...batchNotFound,
        409: json(ErrorSchema, 'Still running, or nothing failed'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { batch, retried } = await retryBatch(deps, currentUser(c), c.req.valid('param').id);
      return c.json({ ...accepted(batch), retried }, 202);
    },
    namingHook('request'),
  );
}
