import { createFunctionApp } from '../http/app.ts';
import type { AppServices } from '../http/context.ts';
import { type ClassificationDeps, createClassificationDeps } from './deps.ts';
import { registerClassifyRoutes } from './routes/classify-routes.ts';
import { registerWorkflowRoutes } from './routes/workflow-routes.ts';

/** The `classification` function: enhanced classification, classification workflows and background batches. */
export function createClassificationApp(services: AppServices, overrides: Partial<ClassificationDeps> = {}) {
  const app = createFunctionApp('classification', services);
  const deps = createClassificationDeps(services, overrides);
  registerClassifyRoutes(app, deps);
  registerWorkflowRoutes(app, deps);
  return app;
}
