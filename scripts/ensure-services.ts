/**
 * Makes sure Debian's Redis and PostgreSQL servers are installed before the tests that start
 * them (tests/support/services.ts). As root with apt-get it installs them; otherwise it stops and
 * says exactly what to run.
 *
 * The tests start their own servers on free ports in temporary directories, so the services the
 * Debian packages start by themselves are not needed: they are stopped after an install (when
 * the machine has an init system that started them), so that they hold no port or memory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function fail(message: string): never {
  console.error(`\n${message}\n`);
  process.exit(1);
}

function redisServer(): string | undefined {
  return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path));
}

/** The newest PostgreSQL server's bin directory (same rule as tests/support/services.ts). */
function postgresBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const version = readdirSync(base)
    .filter(
      (name) =>
        /^\d+$/.test(name) &&
        existsSync(join(base, name, 'bin', 'postgres')) &&
        existsSync(join(base, name, 'bin', 'initdb')),
    )
    .sort((a, b) => Number(b) - Number(a))[0];
  return version ? join(base, version, 'bin') : undefined;
}

function version(binary: string): string {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : `${binary} (version unknown)`;
}

const missing: string[] = [];
if (!redisServer()) missing.push('redis-server');
if (!postgresBin()) missing.push('postgresql');

if (missing.length > 0) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    fail(
      `The relay tests start real Redis and PostgreSQL servers, and ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed.\n` +
        'Install them with:\n\n' +
        `    sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}\n\n` +
        '(the tests run their own servers on free ports; the services the packages start are not used).',
    );
  }
  console.log(
    `${missing.join(' and ')} missing: installing Debian's packages (apt-get install -y ${missing.join(' ')})...`,
  );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', ...missing],
  ]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0)
      fail(`apt-get ${args.join(' ')} failed (exit ${result.status}). Run it by hand and retry.`);
  }
  // Where an init system started the packaged services, stop them: nothing here uses them.
  // Without one (containers, CI images) policy-rc.d has already kept them from starting.
  for (const service of ['redis-server', 'postgresql']) {
    spawnSync('service', [service, 'stop'], { stdio: 'ignore' });
  }
  if (!redisServer()) fail('apt-get finished, but redis-server is still missing.');
  if (!postgresBin()) fail('apt-get finished, but /usr/lib/postgresql/<version>/bin is missing.');
}

const bin = postgresBin()!;
console.log(`Using ${version(redisServer()!)} and ${version(join(bin, 'postgres'))}`);
