/**
 * The Worker runner, against a stand-in Worker that runs the worker body's protocol in this
 * thread: progress arrives, the key is the inline runner's, failures keep their reason, an
 * abort terminates the worker, and a worker that cannot start is a clear KdbxError.
 */
import { describe, expect, it } from 'vitest';
import type { WorkerLike } from '../../../src/core/crypto';
import {
  type Argon2Request,
  createWorkerArgon2Runner,
  KdbxError,
  runArgon2Inline,
} from '../../../src/core/transfer/kdbx';

const request: Argon2Request = {
  type: 'argon2id',
  version: 0x13,
  password: new TextEncoder().encode('pw'),
  salt: new Uint8Array(32).fill(7),
  memoryKib: 1024,
  iterations: 2,
  parallelism: 1,
  length: 32,
};

/** A WorkerLike that answers as argon2-worker.ts does, deriving inline. */
function fakeWorker(log: string[]): WorkerLike {
  const listeners: ((event: MessageEvent) => void)[] = [];
  let terminated = false;
  const post = (data: unknown) => {
    if (!terminated) for (const listener of listeners) listener({ data } as MessageEvent);
  };
  return {
    postMessage(message: unknown) {
      const received = message as Argon2Request;
      runArgon2Inline(received, (fraction) => post({ type: 'progress', fraction })).then(
        (key) => post({ type: 'done', key }),
        (error: unknown) =>
          post({
            type: 'error',
            reason: error instanceof KdbxError ? error.reason : undefined,
            message: (error as Error).message,
          }),
      );
    },
    addEventListener(type: string, listener: (event: never) => void) {
      if (type === 'message') listeners.push(listener as (event: MessageEvent) => void);
    },
    terminate() {
      terminated = true;
      log.push('terminated');
    },
  };
}

describe('createWorkerArgon2Runner', () => {
  it('gives the same key as the inline runner, with progress, and ends the worker', async () => {
    const log: string[] = [];
    const fractions: number[] = [];
    const key = await createWorkerArgon2Runner(() => fakeWorker(log))(request, (f) =>
      fractions.push(f),
    );
    expect(key).toEqual(await runArgon2Inline(request));
    expect(fractions.length).toBeGreaterThan(0);
    expect(log).toEqual(['terminated']);
  });

  it('terminates the worker when the signal fires, and says cancelled', async () => {
    const log: string[] = [];
    const controller = new AbortController();
    const promise = createWorkerArgon2Runner(() => fakeWorker(log))(
      { ...request, memoryKib: 8192, iterations: 4 },
      () => controller.abort(),
      controller.signal,
    );
    await expect(promise).rejects.toMatchObject({ code: 'kdbx-failed', reason: 'cancelled' });
    expect(log).toContain('terminated');
  });

  it('refuses memory over 1 GiB without starting a worker, and reports a worker that cannot start', async () => {
    let started = 0;
    const runner = createWorkerArgon2Runner(() => {
      started++;
      throw new Error('Workers are blocked');
    });
    await expect(runner({ ...request, memoryKib: 2 * 1024 * 1024 })).rejects.toMatchObject({
      reason: 'unsupported',
    });
    expect(started).toBe(0);
    const error = await runner(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KdbxError);
    expect((error as KdbxError).message).toMatch(/worker could not start/);
    expect(started).toBe(1);
  });
});
