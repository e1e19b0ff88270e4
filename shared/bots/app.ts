import { createFunctionApp } from '../http/app.ts';
import type { AppServices } from '../http/context.ts';

/** The `bots` function. */
export function createBotsApp(services: AppServices) {
  return createFunctionApp('bots', services);
}
