// The API reference page (api-reference.html#<function>): the function's OpenAPI document, fetched with the
// signed-in session through supabase-js, rendered by Scalar's browser build copied from its npm package (no CDN,
// no fonts or telemetry from elsewhere).
import { invoke, supabase } from './api.ts';
import { readConfig } from './config.ts';

const root = document.getElementById('reference')!;
const fn = location.hash.slice(1) || 'classification';

function show(message: string) {
  root.textContent = message;
  root.setAttribute('role', 'alert');
}

async function main() {
  const config = readConfig();
  if ('problem' in config) return show(config.problem);
  supabase(config);
  const spec = await invoke<Record<string, unknown>>(`${fn}/openapi.json`);
  const scalarUrl = new URL('./scalar/standalone.esm.js', location.href).href;
  const { createApiReference } = (await import(/* @vite-ignore */ scalarUrl)) as {
    createApiReference: (element: Element, configuration: Record<string, unknown>) => unknown;
  };
  createApiReference(root, {
    content: spec,
    withDefaultFonts: false,
    telemetry: false,
    hideClientButton: true,
    hideDarkModeToggle: true,
    showDeveloperTools: 'never',
    mcp: { disabled: true },
    agent: { disabled: true },
    // Where supabase-js reaches the function; the token is left for the reader to paste (not shown on screen).
    servers: [{ url: `${config.supabaseUrl}/functions/v1`, description: 'This project' }],
  });
}

main().catch((error) =>
  show(`The API reference could not load: ${error instanceof Error ? error.message : String(error)}`),
);
