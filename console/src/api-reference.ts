// The API reference page (api-reference.html#<function>): the function's OpenAPI document, fetched with the
// signed-in session through supabase-js, rendered by Scalar's browser build copied from its npm package (no CDN,
// no fonts or telemetry from elsewhere). Another function is a hash change: the renderer is loaded once and the
// new document replaces the old one.
import { invoke, supabase } from './api.ts';
import { readConfig } from './config.ts';

interface Reference {
  destroy(): void;
}
type CreateApiReference = (element: Element, configuration: Record<string, unknown>) => Reference;

const root = document.getElementById('reference')!;
let current: Reference | undefined;
let shown = 0;

function show(message: string) {
  current?.destroy();
  current = undefined;
  root.textContent = message;
  root.setAttribute('role', 'alert');
}

async function render(createApiReference: CreateApiReference, supabaseUrl: string) {
  const mine = ++shown;
  const fn = location.hash.slice(1) || 'classification';
  const spec = await invoke<Record<string, unknown>>(`${fn}/openapi.json`);
  if (mine !== shown) return;
  current?.destroy();
  root.textContent = '';
  root.removeAttribute('role');
  current = createApiReference(root, {
    content: spec,
    withDefaultFonts: false,
    telemetry: false,
    hideClientButton: true,
    hideDarkModeToggle: true,
    showDeveloperTools: 'never',
    mcp: { disabled: true },
    agent: { disabled: true },
    // Where supabase-js reaches the function; the token is left for the reader to paste (not shown on screen).
    servers: [{ url: `${supabaseUrl}/functions/v1`, description: 'This project' }],
  });
}

const failed = (error: unknown) =>
  show(`The API reference could not load: ${error instanceof Error ? error.message : String(error)}`);

async function main() {
  const config = readConfig();
  if ('problem' in config) return show(config.problem);
  supabase(config);
  const scalarUrl = new URL('./scalar/standalone.esm.js', location.href).href;
  const { createApiReference } = (await import(/* @vite-ignore */ scalarUrl)) as {
    createApiReference: CreateApiReference;
  };
  addEventListener('hashchange', () => render(createApiReference, config.supabaseUrl).catch(failed));
  await render(createApiReference, config.supabaseUrl);
}

main().catch(failed);
