import { createFunctionApp } from '../http/app.ts';
import type { AppServices } from '../services.ts';
import { createBotsDeps } from './deps.ts';
import { registerBotRoutes } from './routes/bot-routes.ts';
import { registerSchedulingRoutes } from './routes/scheduling-routes.ts';
import { registerSettingsRoutes } from './routes/settings-routes.ts';
import { ATTENDEE_WEBHOOK_PATH, registerWebhookRoutes } from './routes/webhook-routes.ts';

/** The `bots` function: settings, scheduling and reconciliation of meeting bots, and Attendee's webhooks. */
export function createBotsApp(services: AppServices) {
  const app = createFunctionApp('bots', services, { selfAuthenticatedPaths: [ATTENDEE_WEBHOOK_PATH] });
  const deps = createBotsDeps(services);
  registerSettingsRoutes(app, deps);
  registerSchedulingRoutes(app, deps);
  registerWebhookRoutes(app, deps, services.config.attendee.webhookSecret);
  // Last: `/{id}` must not shadow the fixed paths above.
  registerBotRoutes(app, deps);
  return app;
}
