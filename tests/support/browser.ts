// The browser tests' world: the local stack in-process (functions, Auth, REST, a job worker) over a seeded
// database, the built console served for it, and Debian's Chromium driven by playwright-core.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { type ConsoleServer, serveConsole } from '../../local/console.ts';
import { type RunningWorker, startJobWorker } from '../../shared/jobs/worker-runtime.ts';
import { launchChromium } from './chromium.ts';
import { type FakeAttendee, startFakeAttendee } from './fake-attendee.ts';
import { startTestStack, type TestStack } from './stack.ts';

const root = new URL('../..', import.meta.url).pathname;
/** Screenshots land here (git-ignored). */
const SCREENSHOTS = join(root, 'test-results', 'browser');

export const DEMO = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'demo@example.com',
  password: 'demo-password',
};

export interface ConsoleWorld {
  stack: TestStack;
  console: ConsoleServer;
  /** The fake Attendee the bots function schedules with. */
  attendee: FakeAttendee;
  browser: Browser;
  stop(): Promise<void>;
}

async function loadSeed(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(readFileSync(join(root, 'supabase/seed.sql'), 'utf8'));
  } finally {
    await client.end();
  }
}

/** The stack with the seed, a job worker and the console; the console must already be built (global setup). */
export async function startConsoleWorld(): Promise<ConsoleWorld> {
  const attendee = await startFakeAttendee();
  const stack = await startTestStack({
    ATTENDEE_API_KEY: attendee.apiKey,
    ATTENDEE_BASE_URL: attendee.baseUrl,
  });
  await loadSeed(stack.database.url);
  let worker: RunningWorker | undefined;
  let server: ConsoleServer | undefined;
  try {
    worker = await startJobWorker(stack.services, {
      databaseUrl: stack.database.url,
      schedules: false,
      pollIntervalMs: 100,
    });
    server = await serveConsole({
      port: 0,
      host: '127.0.0.1',
      supabaseUrl: stack.url,
      anonKey: stack.anonKey,
    });
    const browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    return {
      stack,
      console: server,
      attendee,
      browser,
      async stop() {
        await browser.close();
        await server?.close();
        await worker?.stop(1000);
        await stack.stop();
        await attendee.stop();
      },
    };
  } catch (error) {
    await server?.close();
    await worker?.stop(1000);
    await stack.stop();
    await attendee.stop();
    throw error;
  }
}

/** Signs in through the console's form, as a person would. */
export async function signIn(page: Page, consoleUrl: string) {
  await page.goto(consoleUrl);
  await page.getByLabel('Email', { exact: true }).fill(DEMO.email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Console' }).getByText(DEMO.email).waitFor();
}

export const screenshot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

/**
 * Every request a browser context makes, from every frame, and a wait until none is in flight for `quietMs`.
 * Playwright's own 'networkidle' does not serve a single-page app: it fires once per document, so after a hash
 * navigation it is already there (it waits for nothing), and when a frame is added later it can be withdrawn and
 * not come back until the top frame makes another request (a 30 s timeout with the network quiet).
 */
export function watchRequests(context: BrowserContext) {
  const origins = new Set<string>();
  const inFlight = new Set<Request>();
  let lastChange = Date.now();
  const settle = (request: Request) => {
    inFlight.delete(request);
    lastChange = Date.now();
  };
  context.on('request', (request) => {
    origins.add(new URL(request.url()).origin);
    inFlight.add(request);
    lastChange = Date.now();
  });
  context.on('requestfinished', settle);
  context.on('requestfailed', settle);
  return {
    origins,
    /** Resolves once no request has been in flight for `quietMs`; names the ones still open if it gives up. */
    async quiet(quietMs = 500, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (inFlight.size > 0 || Date.now() - lastChange < quietMs) {
        if (Date.now() > deadline) {
          const open = [...inFlight].map((request) => request.url());
          throw new Error(`requests still in flight after ${timeoutMs} ms: ${open.join(', ') || 'none'}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
