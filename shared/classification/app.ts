import { createFunctionApp } from '../http/app.ts';
import type { AppServices } from '../http/context.ts';

/** The `classification` function. */
export function createClassificationApp(services: AppServices) {
  return createFunctionApp('classification', services);
}
