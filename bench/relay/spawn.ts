import { type ChildProcess, fork } from 'node:child_process';
import type { FromInstance, InstanceStats, ToInstance } from './ipc';

export type RelayKind = 'coffer' | 'plain';

/** A relay instance in a process of its own (./instance.ts). */
export interface RelayInstance {
  readonly name: string;
  /** `ws://127.0.0.1:<port>/relay` */
  readonly url: string;
  /** Its memory and relay counters; `gc` collects garbage first (for memory deltas). */
  stats(gc: boolean): Promise<InstanceStats>;
  /** What it wrote to stderr so far (warnings, errors). */
  stderr(): string;
  close(): Promise<void>;
}

/** Thrown when an instance exits or stays silent before it listens, with what it said. */
export class RelayInstanceError extends Error {
  override readonly name = 'RelayInstanceError';
  constructor(
    readonly instance: string,
    readonly problem: string,
    readonly stderrTail: string,
  ) {
    super(`relay instance ${instance}: ${problem}${stderrTail ? `\n${stderrTail}` : ''}`);
  }
}

const instanceScript = new URL('./instance.ts', import.meta.url).pathname;
// Generous: on a shared, busy machine starting Node with tsx has taken over 30 s.
const startTimeoutMs = 120_000;
const answerTimeoutMs = 15_000;

export async function spawnRelayInstance(
  kind: RelayKind,
  name: string,
  redisUrl?: string,
): Promise<RelayInstance> {
  const args = ['--kind', kind, '--name', name, ...(redisUrl ? ['--redis', redisUrl] : [])];
  const child = fork(instanceScript, args, {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const tail = () => stderr.trim().split('\n').slice(-10).join('\n');
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new RelayInstanceError(name, `did not listen within ${startTimeoutMs} ms`, tail()));
    }, startTimeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new RelayInstanceError(name, `exited with code ${code} before listening`, tail()));
    });
    child.on('message', (message: FromInstance) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve(message.port);
    });
  });
  return {
    name,
    url: `ws://127.0.0.1:${port}/relay`,
    stats: (gc) => ask(child, name, { type: 'stats', gc }, tail),
    stderr: () => stderr,
    close: () => closeChild(child),
  };
}

function ask(
  child: ChildProcess,
  name: string,
  message: ToInstance,
  tail: () => string,
): Promise<InstanceStats> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new RelayInstanceError(name, `no answer within ${answerTimeoutMs} ms`, tail()));
    }, answerTimeoutMs);
    const onMessage = (answer: FromInstance) => {
      if (answer.type !== 'stats') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(answer);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

/** Asks the instance to close; kills it if it has not exited within five seconds. */
function closeChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send({ type: 'close' } satisfies ToInstance);
    else child.kill('SIGTERM');
  });
}
