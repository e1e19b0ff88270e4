import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../../http/app.ts';
import { currentUser, requireUser } from '../../http/auth.ts';
import { errorResponses } from '../../http/schemas.ts';
import { readBotSettings, writeBotSettings } from '../data/settings.ts';
import type { BotsDeps } from '../deps.ts';
import { BotSettingsSchema, BotSettingsUpdateSchema } from '../settings.ts';

/** `GET/PUT /bots/settings`: the caller's auto-scheduling preferences. */
export function settingsRoutes(deps: BotsDeps) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: "The caller's bot settings (the defaults until saved: auto-scheduling off)",
      security: [{ bearer: [] }],
      middleware: [requireUser()] as const,
      responses: {
        200: { description: 'Settings', content: { 'application/json': { schema: BotSettingsSchema } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const settings = await deps.db.asUser(currentUser(c), readBotSettings, { readOnly: true });
      return c.json(settings, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/',
      summary: "Saves the caller's bot settings; fields left out keep their value",
      security: [{ bearer: [] }],
      middleware: [requireUser()] as const,
      request: {
        body: { required: true, content: { 'application/json': { schema: BotSettingsUpdateSchema } } },
      },
      responses: {
        200: {
          description: 'Saved settings',
          content: { 'application/json': { schema: BotSettingsSchema } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const update = c.req.valid('json');
      const saved = await deps.db.asUser(currentUser(c), async (tx) => {
        const current = await readBotSettings(tx);
        return writeBotSettings(tx, BotSettingsSchema.parse({ ...current, ...update }));
      });
      return c.json(saved, 200);
    },
  );
  return app;
}
