// Supabase Edge Function `ai`: a thin entry point over the runtime-neutral app in shared/.
import { createAiApp } from '../../../shared/ai/app.ts';
import { createServices } from '../../../shared/runtime.ts';

const app = createAiApp(createServices(Deno.env.toObject()));

Deno.serve(app.fetch);
