// The console (console/): built once with Vite when its sources changed, and served as static files with a
// config.js naming the project, so the same build works for any project URL and anon key.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { compress } from 'hono/compress';

const root = new URL('..', import.meta.url).pathname;
export const CONSOLE_DIR = join(root, 'console');
export const CONSOLE_DIST = join(CONSOLE_DIR, 'dist');
const STAMP = join(CONSOLE_DIST, '.sources-hash');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'dist' ? [] : files(path);
    return [path];
  });
}

/** A hash of everything the build reads: the console's sources and the locked dependency versions. */
function sourcesHash(): string {
  const hash = createHash('sha256');
  for (const file of [...files(CONSOLE_DIR), join(root, 'package-lock.json')].sort()) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Builds console/dist with Vite (about 5-10 s), always for production. */
export async function buildConsole(): Promise<void> {
  const { build } = await import('vite');
  // Vite builds for development when NODE_ENV is set to anything else, and Vitest sets it to "test": the browser
  // tests would have run (and left in dist for `npm start`) a development build, 98 KB of script instead of 62.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(CONSOLE_DIR, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  writeFileSync(STAMP, sourcesHash());
}

/** Builds the console unless console/dist already holds a build of the current sources; true when it built. */
export async function ensureConsoleBuilt(): Promise<boolean> {
  const hash = sourcesHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return false;
  await buildConsole();
  return true;
}

/** config.js: the project the console talks to. */
export function consoleConfigScript(config: { supabaseUrl: string; anonKey: string }): string {
  return `window.CONSOLE_CONFIG = ${JSON.stringify(config)};\n`;
}

/** The console's headers: only the project and the console itself may be reached from its pages. */
function securityHeaders(supabaseUrl: string): Record<string, string> {
  const project = new URL(supabaseUrl).origin;
  return {
    'Content-Security-Policy': [
      "default-src 'self'",
      `connect-src 'self' ${project}`,
      "script-src 'self'",
      // Scalar and uPlot set inline styles.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      "frame-ancestors 'self'",
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

/** Serves console/dist (built) at host:port (0: a free port), with config.js for `supabaseUrl` and `anonKey`. */
export async function serveConsole(options: {
  port: number;
  host: string;
  supabaseUrl: string;
  anonKey: string;
}): Promise<ConsoleServer> {
  const app = new Hono();
  const headers = securityHeaders(options.supabaseUrl);
  const config = consoleConfigScript({ supabaseUrl: options.supabaseUrl, anonKey: options.anonKey });
  app.use(
    '*',
    async (c, next) => {
      await next();
      for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
    },
    compress(),
  );
  app.get('/config.js', (c) =>
    c.body(config, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' }),
  );
  app.use('/assets/*', async (c, next) => {
    await next();
    // Vite names assets by content hash.
    if (c.res.ok) c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.use('*', serveStatic({ root: relative(process.cwd(), CONSOLE_DIST) || '.' }));
  app.notFound((c) => c.text('Not found', 404));
  const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
