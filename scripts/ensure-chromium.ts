/**
 * Makes sure Debian's Chromium is there before the browser tests run. As root with apt-get it
 * installs it; otherwise it stops and says exactly what to run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumIsInstalled, chromiumPath } from './chromium';

function fail(message: string): never {
  console.error(`\n${message}\n`);
  process.exit(1);
}

if (!chromiumIsInstalled()) {
  if (process.env.CHROMIUM_PATH) {
    fail(
      `CHROMIUM_PATH is set to ${chromiumPath}, but there is no file there. Point it at a Chromium binary, or unset it to use /usr/bin/chromium.`,
    );
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    fail(
      "The browser tests need Debian's Chromium at /usr/bin/chromium and it is not installed.\n" +
        'Install it with:\n\n    sudo apt-get update && sudo apt-get install -y chromium\n\n' +
        'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  console.log("Chromium is missing: installing Debian's package (apt-get install -y chromium)...");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', 'chromium'],
  ]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0)
      fail(`apt-get ${args.join(' ')} failed (exit ${result.status}). Run it by hand and retry.`);
  }
  if (!chromiumIsInstalled()) fail('apt-get finished, but /usr/bin/chromium is still missing.');
}
const version = execFileSync(chromiumPath, ['--version'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'ignore'],
}).trim();
console.log(`Using ${version} at ${chromiumPath}`);
