import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../../http/app.ts';
import { currentUser, requireUser } from '../../http/auth.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { ErrorSchema, errorResponses } from '../../http/schemas.ts';
import {
  BotIdParamsSchema,
  BotListQuerySchema,
  botView,
  MeetingBotSchema,
  SchedulingLogSchema,
} from '../api-schemas.ts';
import { AttendeeError } from '../attendee/errors.ts';
import { cancelBot } from '../cancel.ts';
import { findBot, listBots } from '../data/bots.ts';
import { recentSchedulingLogs } from '../data/logs.ts';
import type { BotsDeps } from '../deps.ts';
import { attendeeFailure } from './attendee-failure.ts';

const errorContent = { 'application/json': { schema: ErrorSchema } };

/** `GET /bots/scheduling-logs`: the caller's scheduling log. */
export function schedulingLogRoutes(deps: BotsDeps) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: "The caller's latest scheduling decisions, newest first",
      security: [{ bearer: [] }],
      middleware: [requireUser()] as const,
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
      responses: {
        200: {
          description: 'Decisions',
          content: { 'application/json': { schema: z.object({ logs: z.array(SchedulingLogSchema) }) } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { limit } = c.req.valid('query');
      const logs = await deps.db.asUser(currentUser(c), (tx) => recentSchedulingLogs(tx, limit), {
        readOnly: true,
      });
      return c.json({ logs: logs.map((log) => ({ ...log, createdAt: log.createdAt.toISOString() })) }, 200);
    },
  );
  return app;
}

/** The caller's bots: list, read, cancel. */
export function botRoutes(deps: BotsDeps) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: "The caller's bots, newest first",
      security: [{ bearer: [] }],
      middleware: [requireUser()] as const,
      request: { query: BotListQuerySchema },
      responses: {
        200: {
          description: 'Bots',
          content: { 'application/json': { schema: z.object({ bots: z.array(MeetingBotSchema) }) } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const bots = await deps.db.asUser(currentUser(c), (tx) => listBots(tx, query), { readOnly: true });
      return c.json({ bots: bots.map(botView) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      summary: 'One of the caller’s bots',
      security: [{ bearer: [] }],
      middleware: [requireUser()] as const,
      request: { params: BotIdParamsSchema },
      responses: {
        200: { description: 'The bot', content: { 'application/json': { schema: MeetingBotSchema } } },
        404: { description: 'No such bot of the caller', content: errorContent },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const bot = await deps.db.asUser(currentUser(c), (tx) => findBot(tx, id), { readOnly: true });
      if (!bot) throw notFound('Bot');
      return c.json(botView(bot), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      summary: 'Cancels one of the caller’s bots while Attendee still has it scheduled',
      description:
        'Deletes the bot at Attendee and sets its meeting to never be recorded (so no other bot is sent).',
      security: [{ bearer: [] }],
      middleware: [requireUser()] as const,
      request: { params: BotIdParamsSchema },
      responses: {
        200: {
          description: 'The cancelled bot',
          content: { 'application/json': { schema: MeetingBotSchema } },
        },
        404: { description: 'No such bot of the caller', content: errorContent },
        409: { description: 'Already staged, running or finished', content: errorContent },
        ...errorResponses,
        503: {
          description: 'Attendee or the database is unavailable; retry after the Retry-After seconds',
          content: errorContent,
        },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      let result: Awaited<ReturnType<typeof cancelBot>>;
      try {
        result = await cancelBot(deps, { claims: currentUser(c), requestId: c.get('requestId') }, id);
      } catch (error) {
        if (error instanceof AttendeeError) throw attendeeFailure(error.kind, error.message);
        throw error;
      }
      if (result.status === 'not_found') throw notFound('Bot');
      if (result.status === 'conflict') throw new AppError(409, 'conflict', result.message);
      return c.json(botView(result.bot), 200);
    },
  );
  return app;
}
