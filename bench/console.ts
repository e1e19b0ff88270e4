// The console's weight and its time to first render. Sizes: what index.html loads before the first render (raw and
// gzipped, as `npm start` serves it), the chunks loaded later (uPlot with the first chart, Scalar with the API
// reference). Time: a fresh Chromium context opening the console until the sign-in form is on screen, against an
// anchor page in the same run (a static page with the same heading and no script), so the figure is read as a
// ratio on a shared machine. Run: npm run bench:console [runs]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CONSOLE_DIST, ensureConsoleBuilt, serveConsole } from '../local/console.ts';
import { launchChromium } from '../tests/support/chromium.ts';

const runs = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 7);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

await ensureConsoleBuilt();
const sizeOf = (path: string) => {
  const raw = readFileSync(path);
  return { raw: raw.length, gzip: gzipSync(raw).length };
};
const html = readFileSync(join(CONSOLE_DIST, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((match) => match[1]!);
const assets = readdirSync(join(CONSOLE_DIST, 'assets'));
const later = assets.map((file) => `assets/${file}`).filter((file) => !initial.includes(file));
const sum = (files: string[]) =>
  files
    .map((file) => sizeOf(join(CONSOLE_DIST, file)))
    .reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }));
console.log('Before the first render (index.html loads):');
for (const file of initial) {
  const size = sizeOf(join(CONSOLE_DIST, file));
  console.log(`  ${file.padEnd(36)} ${kb(size.raw).padStart(10)} raw ${kb(size.gzip).padStart(10)} gzip`);
}
const first = sum(initial);
console.log(`  ${'total'.padEnd(36)} ${kb(first.raw).padStart(10)} raw ${kb(first.gzip).padStart(10)} gzip`);
console.log('Loaded later:');
for (const file of later) {
  const size = sizeOf(join(CONSOLE_DIST, file));
  console.log(`  ${file.padEnd(36)} ${kb(size.raw).padStart(10)} raw ${kb(size.gzip).padStart(10)} gzip`);
}
const scalarEntry = sizeOf(join(CONSOLE_DIST, 'scalar/standalone.esm.js'));
const scalarChunks = readdirSync(join(CONSOLE_DIST, 'scalar/chunks'));
const scalarAll = scalarChunks.reduce(
  (total, file) => total + statSync(join(CONSOLE_DIST, 'scalar/chunks', file)).size,
  0,
);
console.log(
  `  scalar/standalone.esm.js (API reference) ${kb(scalarEntry.raw)} raw ${kb(scalarEntry.gzip)} gzip; ` +
    `${scalarChunks.length} lazy chunks, ${kb(scalarAll)} raw in all (each loaded only when needed)`,
);

// The project is never reached: signed out, the console draws its sign-in form from local state.
const server = await serveConsole({
  port: 0,
  host: '127.0.0.1',
  supabaseUrl: 'http://127.0.0.1:9',
  anonKey: 'x',
});
const ANCHOR = `${server.url}/anchor.html`;
const browser = await launchChromium();

/** A fresh context (empty cache) opening `url`; ms from navigation start to the sign-in heading painted. */
async function firstRender(url: string): Promise<number> {
  const context = await browser.newContext();
  await context.route(ANCHOR, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>anchor</title><h1>Sign in</h1>' }),
  );
  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  // The first frame painted after the heading is in the document.
  const ms = await page.evaluate(
    () => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now()))),
  );
  await context.close();
  return ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const consoleMs: number[] = [];
const anchorMs: number[] = [];
const load = loadavg()[0]!;
await firstRender(server.url); // warms Chromium itself, not the page (each run has a new context)
for (let run = 0; run < runs; run++) {
  anchorMs.push(await firstRender(ANCHOR));
  consoleMs.push(await firstRender(server.url));
}
await browser.close();
await server.close();
console.log(
  `Time to first render (sign-in form, fresh context, median of ${runs}): console ${median(consoleMs).toFixed(0)} ms, ` +
    `anchor page ${median(anchorMs).toFixed(0)} ms, ratio ${(median(consoleMs) / median(anchorMs)).toFixed(2)} ` +
    `(load average ${load.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end)`,
);
console.log(`  console runs: ${consoleMs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
