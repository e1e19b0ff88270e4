// Supabase Edge Function `ai`: a thin entry point over the runtime-neutral app in shared/.
import { createAiFunction } from '../../../shared/ai-function.ts';
import { createServices } from '../../../shared/runtime.ts';

const app = createAiFunction(createServices(Deno.env.toObject()));

Deno.serve(app.fetch);
