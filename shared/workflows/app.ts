import { createFunctionApp } from '../http/app.ts';
import type { AppServices } from '../http/context.ts';

/** The `workflows` function. */
export function createWorkflowsApp(services: AppServices) {
  return createFunctionApp('workflows', services);
}
