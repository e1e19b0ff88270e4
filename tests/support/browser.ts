// The browser tests' world: the local stack in-process (functions, Auth, REST, a job worker) over a seeded
// database, the built console served for it, and Debian's Chromium driven by playwright-core.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type ConsoleServer, serveConsole } from '../../local/console.ts';
import { type RunningWorker, startJobWorker } from '../../shared/jobs/worker-runtime.ts';
import { startTestStack, type TestStack } from './stack.ts';

const root = new URL('../..', import.meta.url).pathname;
/** Screenshots land here (git-ignored). */
export const SCREENSHOTS = join(root, 'test-results', 'browser');

export const DEMO = { email: 'demo@example.com', password: 'demo-password' };

export interface ConsoleWorld {
  stack: TestStack;
  console: ConsoleServer;
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

/** Chromium from Debian (installed by .ci/run; CHROMIUM_PATH overrides), headless, with nothing phoning home. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The stack with the seed, a job worker and the console; the console must already be built (global setup). */
export async function startConsoleWorld(): Promise<ConsoleWorld> {
  const stack = await startTestStack();
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
      browser,
      async stop() {
        await browser.close();
        await server?.close();
        await worker?.stop(1000);
        await stack.stop();
      },
    };
  } catch (error) {
    await server?.close();
    await worker?.stop(1000);
    await stack.stop();
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
