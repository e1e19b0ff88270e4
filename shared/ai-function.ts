import { createAiApp } from './ai/app.ts';
import { createOpsRoutes } from './ops/routes.ts';
import type { AppServices } from './services.ts';

/**
 * The `ai` Edge Function: the AI routes and the operations routes (metrics, alerts, the caller's own data) under
 * `/ai`. Composed here, above both folders: ops reaches into bots, and bots uses ai.
 */
export function createAiFunction(services: AppServices) {
  return createAiApp(services).route('/', createOpsRoutes(services));
}
