import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Database } from '../../db/database.ts';
import { currentUser, requireUser } from '../../http/auth.ts';
import type { AppEnv } from '../../http/context.ts';
import { notFound } from '../../http/errors.ts';
import type { AiService } from '../ai-service.ts';
import { BotConfigurationRequestSchema, BotConfigurationResponseSchema } from '../api-schemas.ts';
import { readMeetingContext } from '../meetings.ts';
import { callContext } from './operations.ts';
import { aiErrorResponses, outcomeBody } from './responses.ts';

/** `POST /ai/bot-configuration`: an Attendee bot configuration for a meeting (inline, or one the caller owns). */
export function registerBotConfigurationRoute(
  app: OpenAPIHono<AppEnv>,
  services: { readonly db: Database; readonly ai: AiService },
) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/bot-configuration',
      summary:
        "A meeting bot's configuration (Attendee's bot_name, recording, transcription, leave settings, join time)",
      security: [{ bearer: [] }],
      middleware: [requireUser()] as const,
      request: {
        body: { required: true, content: { 'application/json': { schema: BotConfigurationRequestSchema } } },
      },
      responses: {
        200: {
          description: 'The configuration',
          content: { 'application/json': { schema: BotConfigurationResponseSchema } },
        },
        404: { ...aiErrorResponses[400], description: 'No such meeting of the caller' },
        ...aiErrorResponses,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const meeting =
        body.meeting ?? (await readMeetingContext(services.db, currentUser(c), body.meetingId!));
      if (!meeting) throw notFound('Meeting');
      const outcome = await services.ai.botConfiguration(
        { meeting, meetingId: body.meetingId },
        callContext(c, body.provider),
      );
      return c.json(outcomeBody(outcome), 200);
    },
  );
}
