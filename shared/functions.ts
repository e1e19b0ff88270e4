import { createAiFunction } from './ai-function.ts';
import { createBotsApp } from './bots/app.ts';
import { createClassificationApp } from './classification/app.ts';
import { createJobsApp } from './jobs/app.ts';
import type { AppServices } from './services.ts';
import { createWorkflowsApp } from './workflows/app.ts';

/** Every Edge Function of the project, by name, as Supabase serves them at `/functions/v1/<name>`. */
export const FUNCTIONS = {
  classification: createClassificationApp,
  bots: createBotsApp,
  workflows: createWorkflowsApp,
  ai: createAiFunction,
  jobs: createJobsApp,
} satisfies Record<
  string,
  (services: AppServices) => { fetch: (request: Request) => Response | Promise<Response> }
>;

export type FunctionName = keyof typeof FUNCTIONS;
