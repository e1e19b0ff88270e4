import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import { authenticate, requireServiceRole } from './auth.ts';
import { limitRequestBodies, rejectDeepJson, rejectUnstorableText } from './body-limit.ts';
import type { AppEnv, KernelServices } from './context.ts';
import { formatIssues, handleError } from './error-handler.ts';
import { badRequest, unavailable } from './errors.ts';
import { limitUserRequests } from './rate-limit.ts';
import { ErrorSchema } from './schemas.ts';

const VERSION = '0.1.0';

// The headers supabase-js sends from browsers, as Supabase documents for CORS in Edge Functions.
const CORS_HEADERS = ['authorization', 'x-client-info', 'apikey', 'content-type', 'x-request-id'];

/**
 * A group of routes (a Hono sub-app) that a function app mounts with `app.route(prefix, router)`: invalid input
 * is a 400 `validation_failed` as on the function app; errors, 404s and every middleware come from the function
 * app it is mounted on.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw badRequest(`Invalid ${result.target}`, formatIssues(result.error));
    },
  });
}

export type Router = ReturnType<typeof createRouter>;

/** A function's Hono app under `/<name>`: request ids, JSON logs, CORS, authentication, errors, health, OpenAPI. */
export function createFunctionApp(
  name: string,
  services: KernelServices,
  options: {
    serviceRoleOnly?: boolean;
    /** Paths under `/<name>` whose routes verify their caller themselves (e.g. a signed webhook). */
    selfAuthenticatedPaths?: readonly string[];
  } = {},
) {
  const app = createRouter().basePath(`/${name}`);

  app.use(
    '*',
    requestId({ limitLength: 64 }),
    async function startBackgroundWork(_c, next) {
      const hook = services.afterRequest;
      if (!hook) return next();
      const mark = hook.mark();
      await next();
      hook.after(mark);
    },
    async function logRequests(c, next) {
      const logger = services.logger.child({ fn: name, requestId: c.get('requestId') });
      c.set('logger', logger);
      const started = performance.now();
      await next();
      logger.info('request', {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
        user: c.get('user')?.sub,
      });
    },
    cors({
      origin: services.config.corsOrigins.includes('*') ? '*' : services.config.corsOrigins,
      allowHeaders: CORS_HEADERS,
      allowMethods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
      exposeHeaders: [
        'x-request-id',
        'retry-after',
        'ratelimit-limit',
        'ratelimit-remaining',
        'ratelimit-reset',
      ],
      maxAge: 600,
    }),
    authenticate(services.verifier, {
      selfAuthenticatedPaths: (options.selfAuthenticatedPaths ?? []).map((path) => `/${name}${path}`),
    }),
    limitRequestBodies({
      maxBytes: services.config.ops.maxBodyBytes,
      largeMaxBytes: services.config.ops.maxBatchBodyBytes,
    }),
    rejectDeepJson(),
    rejectUnstorableText(),
    // After authentication: signed-in users have a per-minute budget on every endpoint.
    limitUserRequests({
      db: services.db,
      logger: services.logger,
      perMinute: services.config.ops.userRateLimitPerMinute,
    }),
  );
  if (options.serviceRoleOnly) {
    app.use('*', requireServiceRole());
  }
  app.onError(handleError);
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: 'No such route', requestId: c.get('requestId') } }, 404),
  );

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Supabase access token (user session) or API key (anon, service_role)',
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      summary: 'Liveness and database reachability; any valid project key may call it',
      security: [{ bearer: [] }],
      responses: {
        200: { description: 'Healthy', content: { 'application/json': { schema: HealthSchema } } },
        401: { description: 'No valid token', content: { 'application/json': { schema: ErrorSchema } } },
        503: {
          description: 'Database unreachable',
          content: { 'application/json': { schema: ErrorSchema } },
        },
      },
    }),
    async (c) => {
      const started = performance.now();
      try {
        await services.db.ping();
      } catch {
        throw unavailable('Database is unreachable');
      }
      return c.json(
        {
          status: 'ok' as const,
          function: name,
          version: VERSION,
          database: { ok: true, latencyMs: Math.round(performance.now() - started) },
        },
        200,
      );
    },
  );

  const documentConfig = (c: Context) => ({
    openapi: '3.1.0',
    info: { title: `${name} function`, version: VERSION, description: `Supabase Edge Function \`${name}\`` },
    // The gateway hands the function its path from its own name on (every path of the document starts with
    // `/<name>`), so the function is reached at <origin>/functions/v1/<name>/…: "Try it" and generated clients
    // need the /functions/v1 the function never sees.
    servers: [{ url: `${new URL(c.req.url).origin}/functions/v1`, description: 'This project' }],
  });
  // The document only: its browsable reference is rendered by the console (a function's text/html would reach a
  // browser as text/plain on Supabase's default domain).
  app.doc31('/openapi.json', documentConfig);

  return app;
}

export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    function: z.string(),
    version: z.string(),
    database: z.object({ ok: z.boolean(), latencyMs: z.number() }),
  })
  .openapi('Health');

export type FunctionApp = ReturnType<typeof createFunctionApp>;
