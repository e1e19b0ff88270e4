// The operations routes of the `ai` function: metrics, alerts, and the caller's data export and deletion.
import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { isUser } from '../auth/claims.ts';
import { cancelBot } from '../bots/cancel.ts';
import { createBotsDeps } from '../bots/deps.ts';
import { createRouter } from '../http/app.ts';
import { currentUser, requireUser } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { forbidden, unauthorized } from '../http/errors.ts';
import { ErrorSchema, errorResponses, json } from '../http/schemas.ts';
import type { AppServices } from '../services.ts';
import { listAlerts } from './alerts-store.ts';
import { type CancelScheduledBot, deleteUserData, exportUserData } from './data-rights.ts';
import { getAiMetrics } from './metrics.ts';
import {
  AlertListSchema,
  AlertsQuerySchema,
  DataDeletionSchema,
  DataExportSchema,
  MetricsQuerySchema,
  MetricsSchema,
} from './schemas.ts';

const tooMany = { 429: json(ErrorSchema, 'Too many requests this minute (`rate_limited`); see Retry-After') };

/** Signed-in users (their own data) and the service role (the operator view); anon gets 401. */
function requireUserOrServiceRole(): MiddlewareHandler<AppEnv> {
  return async function requireUserOrServiceRoleMiddleware(c, next) {
    const claims = c.get('claims');
    if (!claims || claims.role === 'anon') throw unauthorized('A signed-in user token is required');
    if (claims.role !== 'service_role' && !isUser(claims)) throw forbidden('This token may not read metrics');
    await next();
  };
}

/** Cancels a bot through the bots service, as its owner. */
function botCanceller(services: AppServices): CancelScheduledBot {
  const deps = createBotsDeps(services);
  return async (claims, botId) => {
    const outcome = await cancelBot(deps, { claims }, botId);
    if (outcome.status === 'cancelled') return { cancelled: true };
    return { reason: outcome.status === 'conflict' ? outcome.message : 'the bot no longer exists' };
  };
}

/** `GET /metrics`, `GET /alerts`, `GET /me/export` and `DELETE /me/data`, mounted on the `ai` function. */
export function createOpsRoutes(services: AppServices) {
  const app = createRouter();
  const userOnly = { security: [{ bearer: [] }], middleware: [requireUser()] };
  const rights = { db: services.db, logger: services.logger, cancelBot: botCanceller(services) };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/metrics',
      summary:
        'AI calls per operation and provider (count, error rate, latency p50/p95/p99, tokens, cost) and queues',
      description:
        "A user token sees the caller's own calls; the service role sees every user's (the operator view). " +
        'Queue health is deployment-wide.',
      security: [{ bearer: [] }],
      middleware: [requireUserOrServiceRole()] as const,
      request: { query: MetricsQuerySchema },
      responses: { 200: json(MetricsSchema, 'Metrics over the window'), ...tooMany, ...errorResponses },
    }),
    async (c) =>
      c.json(await getAiMetrics(services.readDb, c.get('claims'), c.req.valid('query').window), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/alerts',
      summary: "The caller's alerts (error rate, p95 latency, daily cost), newest first",
      ...userOnly,
      request: { query: AlertsQuerySchema },
      responses: { 200: json(AlertListSchema, 'Alerts'), ...tooMany, ...errorResponses },
    }),
    async (c) => {
      const { limit, before } = c.req.valid('query');
      const alerts = await services.readDb.asUser(
        currentUser(c),
        (tx) => listAlerts(tx, { limit, before: before ? new Date(before) : undefined }),
        { readOnly: true },
      );
      return c.json({ alerts }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/export',
      summary: 'Everything the caller owns, every table, as JSON (audited)',
      ...userOnly,
      responses: { 200: json(DataExportSchema, "The caller's data"), ...tooMany, ...errorResponses },
    }),
    async (c) => c.json(await exportUserData(rights, currentUser(c), c.get('requestId')), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/me/data',
      summary:
        'Delete everything the caller owns (audited); scheduled bots and running workflows are cancelled',
      description: 'The account itself is left to Supabase Auth. Calling it again deletes nothing more.',
      ...userOnly,
      responses: { 200: json(DataDeletionSchema, 'What was deleted'), ...tooMany, ...errorResponses },
    }),
    async (c) => c.json(await deleteUserData(rights, currentUser(c), c.get('requestId')), 200),
  );
  return app;
}
