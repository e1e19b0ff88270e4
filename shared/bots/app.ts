import { createFunctionApp } from '../http/app.ts';
import type { AppServices } from '../services.ts';
import { createBotsDeps } from './deps.ts';
import { botRoutes, schedulingLogRoutes } from './routes/bot-routes.ts';
import { schedulingRoutes } from './routes/scheduling-routes.ts';
import { settingsRoutes } from './routes/settings-routes.ts';
import { ATTENDEE_WEBHOOK_PATH, webhookRoutes } from './routes/webhook-routes.ts';

/** The `bots` function: settings, scheduling and reconciliation of meeting bots, and Attendee's webhooks. */
export function createBotsApp(services: AppServices) {
  const deps = createBotsDeps(services);
  // Hono matches in mounting order; tests/unit/routes.test.ts fails if a route shadows a later one.
  return createFunctionApp('bots', services, { selfAuthenticatedPaths: [ATTENDEE_WEBHOOK_PATH] })
    .route('/settings', settingsRoutes(deps))
    .route('/scheduling-logs', schedulingLogRoutes(deps))
    .route('/', schedulingRoutes(deps))
    .route('/', webhookRoutes(deps, services.config.attendee.webhookSecret))
    .route('/', botRoutes(deps));
}
