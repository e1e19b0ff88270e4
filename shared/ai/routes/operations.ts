import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { currentUser, requireUser } from '../../http/auth.ts';
import type { AppEnv } from '../../http/context.ts';
import type { AiCallContext, AiService } from '../ai-service.ts';
import {
  AnalysisResponseSchema,
  ClassifyRequestSchema,
  ClassifyResponseSchema,
  EntitiesResponseSchema,
  SentimentRequestSchema,
  SentimentResponseSchema,
  TextRequestSchema,
} from '../api-schemas.ts';
import type { ProviderName } from '../provider.ts';
import { aiErrorResponses, outcomeBody } from './responses.ts';

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });

/** The call context of a request: the user from the verified token, the request id, the chosen provider. */
export function callContext(c: Context<AppEnv>, provider?: ProviderName): AiCallContext {
  return { userId: currentUser(c).sub, requestId: c.get('requestId'), signal: c.req.raw.signal, provider };
}

function textRoute(
  path: string,
  summary: string,
  response: typeof EntitiesResponseSchema | typeof AnalysisResponseSchema,
) {
  return createRoute({
    method: 'post',
    path,
    summary,
    security: [{ bearer: [] }],
    middleware: [requireUser()] as const,
    request: { body: { required: true, ...json(TextRequestSchema) } },
    responses: { 200: { description: 'The result', ...json(response) }, ...aiErrorResponses },
  });
}

/** `POST /ai/classify|sentiment|entities|analyze`: one text in, a validated, logged result out. */
export function registerOperationRoutes(app: OpenAPIHono<AppEnv>, services: { readonly ai: AiService }) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/classify',
      summary: 'Classifies a document into one of the given categories, with confidence and alternatives',
      security: [{ bearer: [] }],
      middleware: [requireUser()] as const,
      request: { body: { required: true, ...json(ClassifyRequestSchema) } },
      responses: {
        200: { description: 'The classification', ...json(ClassifyResponseSchema) },
        ...aiErrorResponses,
      },
    }),
    async (c) => {
      const { text, categories, provider } = c.req.valid('json');
      const outcome = await services.ai.classify({ text, categories }, callContext(c, provider));
      return c.json(outcomeBody(outcome), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/sentiment',
      summary:
        'Sentiment of a document and of each of its sentences; for a transcript, of each speaker and of each entity mention',
      security: [{ bearer: [] }],
      middleware: [requireUser()] as const,
      request: { body: { required: true, ...json(SentimentRequestSchema) } },
      responses: {
        200: { description: 'The result', ...json(SentimentResponseSchema) },
        ...aiErrorResponses,
      },
    }),
    async (c) => {
      const { text, segments, targets, provider } = c.req.valid('json');
      const outcome = await services.ai.sentiment({ text, segments, targets }, callContext(c, provider));
      return c.json(outcomeBody(outcome), 200);
    },
  );

  app.openapi(
    textRoute('/entities', 'Named entities of a document with their offsets', EntitiesResponseSchema),
    async (c) => {
      const { text, provider } = c.req.valid('json');
      return c.json(outcomeBody(await services.ai.entities({ text }, callContext(c, provider))), 200);
    },
  );

  app.openapi(
    textRoute(
      '/analyze',
      'Summary, key points, action items and risks of a document',
      AnalysisResponseSchema,
    ),
    async (c) => {
      const { text, provider } = c.req.valid('json');
      return c.json(outcomeBody(await services.ai.analyze({ text }, callContext(c, provider))), 200);
    },
  );
}
