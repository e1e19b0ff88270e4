import { createFunctionApp } from '../http/app.ts';
import type { AppServices } from '../http/context.ts';

/** The `jobs` function: background-work endpoints for Supabase Cron and operators; service role only. */
export function createJobsApp(services: AppServices) {
  return createFunctionApp('jobs', services, { serviceRoleOnly: true });
}
