// Supabase Edge Function `workflows`: a thin entry point over the runtime-neutral app in shared/.

import { createServices } from '../../../shared/runtime.ts';
import { createWorkflowsApp } from '../../../shared/workflows/app.ts';

const app = createWorkflowsApp(createServices(Deno.env.toObject()));

Deno.serve(app.fetch);
