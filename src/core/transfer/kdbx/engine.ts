/**
 * kdbxweb, loaded on first use (it stays out of the app's first chunk), with Coffer's Argon2
 * plugged in. kdbxweb takes its Argon2 as one process-wide function, so operations run one at a
 * time: each installs a function bound to its own runner, progress and signal, and the next
 * waits. Running two 64 MiB derivations at once would only slow both down anyway.
 */
import type { TransferProgress } from '../types';
import type { Argon2Runner } from './argon2';

export type Kdbxweb = typeof import('kdbxweb');

let library: Promise<Kdbxweb> | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** What one kdbxweb operation needs from its caller. */
export interface EngineOptions {
  readonly argon2: Argon2Runner;
  readonly onProgress?: TransferProgress | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs `task` with kdbxweb, Argon2 bound to `options`, once every earlier task has settled.
 * Key derivation reports phase 'deriving-key' in percent (done of 100).
 */
export function withKdbxweb<T>(
  options: EngineOptions,
  task: (kdbx: Kdbxweb) => Promise<T>,
): Promise<T> {
  const run = async (): Promise<T> => {
    library ??= import('kdbxweb');
    const kdbx = await library;
    kdbx.CryptoEngine.setArgon2Impl(
      async (password, salt, memory, iterations, length, parallelism, type, version) => {
        options.onProgress?.('deriving-key', 0, 100);
        const key = await options.argon2(
          {
            type: type === kdbx.CryptoEngine.Argon2TypeArgon2id ? 'argon2id' : 'argon2d',
            version,
            password: new Uint8Array(password),
            salt: new Uint8Array(salt),
            memoryKib: memory,
            iterations,
            parallelism,
            length,
          },
          (fraction) => options.onProgress?.('deriving-key', Math.floor(fraction * 100), 100),
          options.signal,
        );
        options.onProgress?.('deriving-key', 100, 100);
        return key.buffer.slice(key.byteOffset, key.byteOffset + key.byteLength) as ArrayBuffer;
      },
    );
    return task(kdbx);
  };
  const result = queue.then(run, run);
  // The next task waits for this one whatever its outcome.
  queue = result.catch(() => undefined);
  return result;
}
