// `npm run build:console`: the console as static files in console/dist for any static host, with config.js
// naming the project (SUPABASE_URL and SUPABASE_ANON_KEY; the local stack's when unset).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildConsole, CONSOLE_DIST, consoleConfigScript } from '../local/console.ts';
import { LOCAL_JWT_SECRET, signToken } from '../local/keys.ts';

const supabaseUrl = process.env.SUPABASE_URL ?? 'http://127.0.0.1:54321';
const anonKey =
  process.env.SUPABASE_ANON_KEY ??
  (await signToken({ role: 'anon', secret: process.env.JWT_SECRET ?? LOCAL_JWT_SECRET }));
if (!process.env.SUPABASE_URL || !process.env.SUPABASE_ANON_KEY) {
  console.log('SUPABASE_URL or SUPABASE_ANON_KEY unset: configured for the local stack');
}
const started = performance.now();
await buildConsole();
writeFileSync(join(CONSOLE_DIST, 'config.js'), consoleConfigScript({ supabaseUrl, anonKey }));
console.log(`console/dist built in ${Math.round(performance.now() - started)} ms for ${supabaseUrl}`);
console.log('Serve it from any static host; config.js names the project and may be replaced there.');
