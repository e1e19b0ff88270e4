import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../../http/app.ts';
import { currentUser, requireUser } from '../../http/auth.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { ErrorSchema, errorResponses } from '../../http/schemas.ts';
import {
  AutoScheduleResultSchema,
  botView,
  ScheduleMeetingBodySchema,
  ScheduleMeetingResponseSchema,
  SyncSummarySchema,
} from '../api-schemas.ts';
import { autoScheduleUserBots } from '../auto-schedule.ts';
import type { BotsDeps } from '../deps.ts';
import { scheduleMeetingBot } from '../scheduler.ts';
import { syncUserBots } from '../sync.ts';
import { attendeeFailure } from './attendee-failure.ts';

const errorContent = { 'application/json': { schema: ErrorSchema } };

/** `POST /bots/schedule-meeting`, `POST /bots/auto-schedule`, `POST /bots/sync`. */
export function schedulingRoutes(deps: BotsDeps) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/schedule-meeting',
      summary: 'schedule_meeting_bot: a recording bot for one of the caller’s meetings',
      description:
        'The meeting must be upcoming, timed (not whole-day), not cancelled, with a Zoom, Google Meet or Teams link ' +
        'and no live bot; its own override `never` refuses it. A 409 carries the skip reason as its code.',
      security: [{ bearer: [] }],
      middleware: [requireUser()] as const,
      request: {
        body: { required: true, content: { 'application/json': { schema: ScheduleMeetingBodySchema } } },
      },
      responses: {
        201: {
          description: 'The bot (sent to Attendee, or recorded as not sent when no API key is set)',
          content: { 'application/json': { schema: ScheduleMeetingResponseSchema } },
        },
        404: { description: 'No such meeting of the caller', content: errorContent },
        409: { description: 'The meeting cannot get a bot now (code: the reason)', content: errorContent },
        502: { description: 'Attendee refused the bot', content: errorContent },
        ...errorResponses,
        503: {
          description: 'Attendee or the database is unavailable; retry after the Retry-After seconds',
          content: errorContent,
        },
      },
    }),
    async (c) => {
      const { meetingId } = c.req.valid('json');
      const outcome = await scheduleMeetingBot(
        deps,
        { claims: currentUser(c), requestId: c.get('requestId') },
        meetingId,
      );
      if (!outcome) throw notFound('Meeting');
      if (outcome.decision === 'skipped')
        throw new AppError(409, outcome.reason, `No bot: ${outcome.detail}`);
      if (outcome.decision === 'failed') throw attendeeFailure(outcome.kind, outcome.error);
      return c.json(
        {
          bot: botView(outcome.bot),
          linked: outcome.linked,
          configurationSource: outcome.configurationSource,
        },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/auto-schedule',
      summary: 'auto_schedule_user_bots: reconcile, then decide every meeting in the look-ahead window',
      security: [{ bearer: [] }],
      middleware: [requireUser()] as const,
      responses: {
        200: {
          description: 'Every meeting scheduled, skipped with a reason, or failed with the error',
          content: { 'application/json': { schema: AutoScheduleResultSchema } },
        },
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(
        await autoScheduleUserBots(deps, { claims: currentUser(c), requestId: c.get('requestId') }),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/sync',
      summary:
        'Keeps the caller’s upcoming bots in step with their meetings (moved, cancelled, link changed)',
      security: [{ bearer: [] }],
      middleware: [requireUser()] as const,
      responses: {
        200: { description: 'What changed', content: { 'application/json': { schema: SyncSummarySchema } } },
        ...errorResponses,
      },
    }),
    async (c) =>
      c.json(await syncUserBots(deps, { claims: currentUser(c), requestId: c.get('requestId') }), 200),
  );
  return app;
}
