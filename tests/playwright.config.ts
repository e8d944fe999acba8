import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../scripts/chromium';

const reportDir = process.env.COFFER_TEST_REPORT_DIR;

export default defineConfig({
  testDir: '.',
  testMatch: ['browser/**/*.test.ts', 'e2e/**/*.test.ts'],
  outputDir: '../test-results/playwright',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: reportDir
    ? [['list'], ['json', { outputFile: `${reportDir}/playwright.json` }]]
    : [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath, args: [...chromiumArgs] },
    serviceWorkers: 'allow',
    // A trace (DOM snapshots and a screencast at every step) cost a third of the suite's CPU;
    // `--trace retain-on-failure` records one when a failure needs it (docs/architecture.md).
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
