import { createRoute, z } from '@hono/zod-openapi';
import { createFunctionApp } from '../http/app.ts';
import { currentUser, requireUser } from '../http/auth.ts';
import { errorResponses } from '../http/schemas.ts';
import type { AppServices } from '../services.ts';
import { registerBotConfigurationRoute } from './routes/bot-configuration.ts';
import { registerOperationRoutes } from './routes/operations.ts';
import { registerRedactRoute } from './routes/redact.ts';

export const MeSchema = z
  .object({ userId: z.string().uuid(), email: z.string().nullable(), role: z.literal('authenticated') })
  .openapi('Me');

/** The AI routes of the `ai` function (shared/ai-function.ts adds the operations routes). */
export function createAiApp(services: AppServices) {
  const app = createFunctionApp('ai', services);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me',
      summary: 'The signed-in user as the backend sees them (from the verified token only)',
      security: [{ bearer: [] }],
      middleware: [requireUser()] as const,
      responses: {
        200: { description: 'The caller', content: { 'application/json': { schema: MeSchema } } },
        ...errorResponses,
      },
    }),
    (c) => {
      const user = currentUser(c);
      return c.json({ userId: user.sub, email: user.email ?? null, role: user.role }, 200);
    },
  );

  registerOperationRoutes(app, services);
  registerBotConfigurationRoute(app, services);
  registerRedactRoute(app);
  return app;
}
