/**
 * Real Redis and PostgreSQL servers for tests, started from Debian's packages (see
 * scripts/ensure-services.ts, which installs them) on 127.0.0.1, each on a free port in a fresh
 * temporary directory, and stopped without leaving a process or a file behind.
 *
 *   const redis = await startRedis();      // redis.url: redis://127.0.0.1:<port>
 *   const pg = await startPostgres();      // pg.url: postgres://postgres@127.0.0.1:<port>/postgres
 *   ...
 *   await redis.stop(); await pg.stop();
 *
 * Both resolve only once the server answers (ioredis PING, pg `select 1`). Redis keeps nothing
 * on disk. PostgreSQL trusts every connection from loopback (a throwaway cluster with fsync
 * off); it refuses to run as root, so under root it runs as the `postgres` system user, which
 * is given the temporary directory. Servers still running when the test process exits are
 * stopped then, and a watchdog stops them if the test process is killed outright.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';

export interface RunningService {
  /** Connection URL on 127.0.0.1 (no password). */
  readonly url: string;
  /** Stops the server, waits for it to exit and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** Thrown when a server binary is missing or a server does not come up; says what to do. */
export class ServiceStartError extends Error {
  override readonly name = 'ServiceStartError';
  constructor(
    readonly service: 'redis' | 'postgres',
    message: string,
    /** The server's last output lines, for diagnosis. */
    readonly log: string = '',
  ) {
    super(`${service}: ${message}${log ? `\n--- ${service} output ---\n${log}` : ''}`);
  }
}

const startTimeoutMs = 30_000;
const stopTimeoutMs = 10_000;
interface Running {
  readonly child: ChildProcess;
  readonly dir: string;
  readonly exitSignal: NodeJS.Signals;
  watchdog?: ChildProcess;
}
const running = new Set<Running>();

// A test process that ends without stopping its servers still takes them down (synchronously:
// 'exit' handlers cannot wait).
process.once('exit', () => {
  for (const service of running) {
    try {
      service.child.kill(service.exitSignal);
    } catch {}
    try {
      rmSync(service.dir, { recursive: true, force: true });
    } catch {}
    try {
      service.watchdog?.kill();
    } catch {}
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function findRedisServer(): string {
  for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
    if (existsSync(candidate)) return candidate;
  }
  throw new ServiceStartError(
    'redis',
    'redis-server is not installed: run `tsx scripts/ensure-services.ts` (or apt-get install -y redis-server)',
  );
}

/** The newest PostgreSQL server's bin directory, for example /usr/lib/postgresql/15/bin. */
export function findPostgresBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(base, name, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : undefined;
}

/** Keeps the last few KiB a server printed, for the error when it fails to start. */
function captureOutput(child: ChildProcess): () => string {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4096);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => output;
}

/**
 * A detached shell that stops the server and removes its directory when this process is gone,
 * even if it was killed with SIGKILL and never ran its exit handlers.
 */
function startWatchdog(child: ChildProcess, dir: string, signal: NodeJS.Signals): ChildProcess {
  const script =
    `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ` +
    `kill -${signal.replace(/^SIG/, '')} ${child.pid} 2>/dev/null; ` +
    `for i in $(seq 30); do kill -0 ${child.pid} 2>/dev/null || break; sleep 0.1; done; ` +
    `kill -KILL ${child.pid} 2>/dev/null; ` +
    `rm -rf '${dir}'`;
  const watchdog = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  return watchdog;
}

async function waitUntilReady(
  service: 'redis' | 'postgres',
  child: ChildProcess,
  output: () => string,
  probe: () => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new ServiceStartError(
        service,
        `the server exited during start-up (${child.exitCode ?? child.signalCode})`,
        output(),
      );
    }
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new ServiceStartError(
    service,
    `no answer within ${startTimeoutMs / 1000} s (${lastError instanceof Error ? lastError.message : String(lastError)})`,
    output(),
  );
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function manage(
  child: ChildProcess,
  dir: string,
  stopSignal: NodeJS.Signals,
  exitSignal: NodeJS.Signals,
): () => Promise<void> {
  const entry: Running = { child, dir, exitSignal };
  running.add(entry);
  const watchdog = startWatchdog(child, dir, exitSignal);
  entry.watchdog = watchdog;
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      child.kill(stopSignal);
      if (!(await waitForExit(child, stopTimeoutMs))) {
        child.kill('SIGKILL');
        await waitForExit(child, stopTimeoutMs);
      }
      running.delete(entry);
      watchdog.kill();
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
}

/** Starts `redis-server` on 127.0.0.1 with no persistence. */
export async function startRedis(): Promise<RunningService> {
  const binary = findRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'coffer-redis-'));
  const port = await freePort();
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = captureOutput(child);
  // SIGTERM is Redis's clean shutdown; with no persistence it saves nothing.
  const stop = manage(child, dir, 'SIGTERM', 'SIGTERM');
  const url = `redis://127.0.0.1:${port}`;
  try {
    await waitUntilReady('redis', child, output, async () => {
      const client = new Redis(url, {
        lazyConnect: true,
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
      });
      client.on('error', () => {});
      try {
        await client.connect();
        if ((await client.ping()) !== 'PONG') throw new Error('PING did not answer PONG');
      } finally {
        client.disconnect();
      }
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

/** The uid and gid of the `postgres` system user, to run the server as when we are root. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const read = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = read('-u');
  const gid = read('-g');
  if (uid.status !== 0 || gid.status !== 0) {
    throw new ServiceStartError(
      'postgres',
      'PostgreSQL refuses to run as root and there is no `postgres` user to run it as: install the postgresql package (it creates one) or run the tests as another user',
    );
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Starts a fresh PostgreSQL cluster on 127.0.0.1 that trusts loopback connections. */
export async function startPostgres(): Promise<RunningService> {
  const bin = findPostgresBin();
  if (!bin) {
    throw new ServiceStartError(
      'postgres',
      'no PostgreSQL server under /usr/lib/postgresql/<version>/bin: run `tsx scripts/ensure-services.ts` (or apt-get install -y postgresql)',
    );
  }
  const user = postgresUser();
  const dir = mkdtempSync(join(tmpdir(), 'coffer-postgres-'));
  if (user) spawnSync('chown', ['-R', `${user.uid}:${user.gid}`, dir]);
  const data = join(dir, 'data');
  const asUser = {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LC_ALL: 'C', LANG: 'C' },
    ...(user ?? {}),
  };
  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync'],
    { ...asUser, encoding: 'utf8' },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new ServiceStartError(
      'postgres',
      `initdb failed (exit ${init.status})`,
      `${init.stdout}${init.stderr}`.slice(-4096),
    );
  }
  const port = await freePort();
  const child = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dir}`,
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=100',
    ],
    { ...asUser, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = captureOutput(child);
  // SIGINT is PostgreSQL's fast shutdown (ends sessions, then stops); SIGQUIT the immediate one,
  // for when the test process is exiting and cannot wait.
  const stop = manage(child, dir, 'SIGINT', 'SIGQUIT');
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  try {
    await waitUntilReady('postgres', child, output, async () => {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('select 1');
      } finally {
        await client.end().catch(() => {});
      }
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
