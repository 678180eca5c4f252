import { defineConfig } from 'vitest/config';

/**
 * Three tiers, all run by `npm test`:
 * - unit: pure functions beside their source (`src/**\/*.test.ts`), no database, no network;
 * - integration: `test/**\/*.test.ts` against real SQLite and PostgreSQL, real SMTP peers and
 *   child processes;
 * - browser: `test/**\/*.browser.test.ts` in Debian's Chromium.
 * Only the tiers that talk to PostgreSQL check for it first, so `npm run test:unit` runs anywhere.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.browser.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/**/*.browser.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
