// The console's build: a static site (index.html, the API reference page, and Scalar's renderer copied from its
// npm package, so nothing is fetched from a CDN). The project URL and anon key are not built in: they come from
// config.js next to index.html (written by `npm run build:console`, served by `npm start`).
import { cpSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const scalarBrowser = join(here, '../node_modules/@scalar/api-reference/dist/browser');

/** Copies Scalar's browser build (ESM entry and its lazy chunks, no source maps) into dist/scalar/. */
function copyScalar(): Plugin {
  return {
    name: 'copy-scalar',
    apply: 'build',
    writeBundle(options) {
      const out = join(options.dir ?? join(here, 'dist'), 'scalar');
      cpSync(join(scalarBrowser, 'standalone.esm.js'), join(out, 'standalone.esm.js'));
      for (const file of readdirSync(join(scalarBrowser, 'chunks'))) {
        if (!file.endsWith('.map')) cpSync(join(scalarBrowser, 'chunks', file), join(out, 'chunks', file));
      }
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: join(here, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 400,
    rollupOptions: {
      input: { main: join(here, 'index.html'), reference: join(here, 'api-reference.html') },
      // supabase-js, shared by both pages, in a chunk named for it.
      output: { manualChunks: (id) => (id.includes('/node_modules/@supabase/') ? 'supabase' : undefined) },
    },
  },
  plugins: [copyScalar()],
});
