import { existsSync } from 'node:fs';

/**
 * Where the tests and benchmarks find Chromium: `CHROMIUM_PATH`, else Debian's package.
 * Coffer never downloads a browser (Playwright's downloads cannot work offline).
 */
export const chromiumPath: string = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags that let Chromium run here: as root (no sandbox), without a GPU, and without the
 * background traffic to Google's services that a closed network refuses.
 */
export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function chromiumIsInstalled(): boolean {
  return existsSync(chromiumPath);
}
