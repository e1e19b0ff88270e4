import { createFunctionApp } from '../http/app.ts';
import type { AppServices } from '../services.ts';
import { createClassificationDeps } from './deps.ts';
import { registerClassifyRoutes } from './routes/classify-routes.ts';
import { registerProfileRoutes } from './routes/profile-routes.ts';

/** The `classification` function: enhanced classification, classification workflows and background batches. */
export function createClassificationApp(services: AppServices) {
  const app = createFunctionApp('classification', services);
  const deps = createClassificationDeps(services);
  registerClassifyRoutes(app, deps);
  registerProfileRoutes(app, deps);
  return app;
}
