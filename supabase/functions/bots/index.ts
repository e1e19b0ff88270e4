// Supabase Edge Function `bots`: a thin entry point over the runtime-neutral app in shared/.
import { createBotsApp } from '../../../shared/bots/app.ts';
import { createServices } from '../../../shared/runtime.ts';

const app = createBotsApp(createServices(Deno.env.toObject()));

Deno.serve(app.fetch);
