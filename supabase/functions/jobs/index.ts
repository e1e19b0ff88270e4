// Supabase Edge Function `jobs`: a thin entry point over the runtime-neutral app in shared/.
import { createJobsApp } from '../../../shared/jobs/app.ts';
import { createServices } from '../../../shared/runtime.ts';

const app = createJobsApp(createServices(Deno.env.toObject()));

Deno.serve(app.fetch);
