/**
 * Prints one line that sums up every test runner's report in COFFER_TEST_REPORT_DIR:
 * `summary: N passed, N failed, N skipped`. CI reads it; the runners' own output stays above it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.COFFER_TEST_REPORT_DIR;
if (!dir) {
  console.error('COFFER_TEST_REPORT_DIR is not set: nothing to sum up');
  process.exit(2);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const missing: string[] = [];

const vitestFile = join(dir, 'vitest.json');
if (existsSync(vitestFile)) {
  const report = JSON.parse(readFileSync(vitestFile, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
} else missing.push('vitest (unit tests did not run)');

const playwrightFile = join(dir, 'playwright.json');
if (existsSync(playwrightFile)) {
  const report = JSON.parse(readFileSync(playwrightFile, 'utf8')) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  };
  passed += report.stats.expected + report.stats.flaky;
  failed += report.stats.unexpected;
  skipped += report.stats.skipped;
} else missing.push('playwright (browser tests did not run)');

for (const runner of missing) console.log(`no report from ${runner}`);
console.log(`summary: ${passed} passed, ${failed + missing.length} failed, ${skipped} skipped`);
