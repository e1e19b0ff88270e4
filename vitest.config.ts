import { defineConfig } from 'vitest/config';

// One Postgres for the run (tests/support/global-setup.ts); each database test file clones its own database.
const withDatabase = {
  globalSetup: ['tests/support/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 180_000,
};

export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      { test: { name: 'db', include: ['tests/db/**/*.test.ts'], ...withDatabase } },
      {
        test: {
          // The console in Chromium; one file, one stack and one browser for every surface.
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          ...withDatabase,
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'http',
          include: ['tests/http/**/*.test.ts', 'tests/deno/**/*.test.ts'],
          ...withDatabase,
        },
      },
    ],
  },
});
