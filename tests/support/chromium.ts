// Debian's Chromium driven by playwright-core, for the browser tests and the console benchmark.
import { type Browser, chromium } from 'playwright-core';

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
