// Supabase Edge Function `classification`: a thin entry point over the runtime-neutral app in shared/.
import { createClassificationApp } from '../../../shared/classification/app.ts';
import { createServices } from '../../../shared/runtime.ts';

const app = createClassificationApp(createServices(Deno.env.toObject()));

Deno.serve(app.fetch);
