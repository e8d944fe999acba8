import type { WorkerLike } from '../../crypto';
import { type Argon2Runner, cancelled, checkArgon2Request } from './argon2';
import { KdbxError, type KdbxFailure } from './errors';

type WorkerReply =
  | { type: 'progress'; fraction: number }
  | { type: 'done'; key: Uint8Array }
  | { type: 'error'; reason: KdbxFailure | undefined; message: string };

/**
 * An Argon2Runner that derives in a fresh Worker (argon2-worker.ts) and terminates it after,
 * so the 64 MiB or more Argon2 takes is given back at once and the page stays responsive. An
 * abort terminates the worker mid-derivation.
 * @example
 * const argon2 = createWorkerArgon2Runner(() => new Worker(new URL('./argon2-worker.ts', import.meta.url), { type: 'module' }));
 */
export function createWorkerArgon2Runner(spawn: () => WorkerLike): Argon2Runner {
  return (request, onProgress, signal) =>
    new Promise<Uint8Array>((resolve, reject) => {
      checkArgon2Request(request);
      if (signal?.aborted) throw cancelled();
      let worker: WorkerLike;
      try {
        worker = spawn();
      } catch (error) {
        reject(
          new KdbxError('unsupported', 'the key derivation worker could not start', {
            cause: error,
          }),
        );
        return;
      }
      const onAbort = () => {
        worker.terminate();
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const finish = () => {
        signal?.removeEventListener('abort', onAbort);
        worker.terminate();
      };
      worker.addEventListener('message', (event: MessageEvent) => {
        const reply = event.data as WorkerReply;
        if (reply.type === 'progress') {
          onProgress?.(reply.fraction);
          return;
        }
        finish();
        if (reply.type === 'done') resolve(reply.key);
        // The worker's message is noble's or ours: parameters, never the password.
        else
          reject(new KdbxError(reply.reason ?? 'unsupported', `Argon2 failed: ${reply.message}`));
      });
      worker.addEventListener('error', (event: ErrorEvent) => {
        finish();
        reject(
          new KdbxError(
            'unsupported',
            `the key derivation worker failed: ${event.message || 'unknown error'}`,
          ),
        );
      });
      // Copies: kdbxweb wipes its buffers after the call returns.
      worker.postMessage({
        ...request,
        password: request.password.slice(),
        salt: request.salt.slice(),
      });
    });
}

/**
 * The runner `readKdbx` and `writeKdbx` use unless given one: a Worker where the platform has
 * Workers (the browser; the `new URL(…, import.meta.url)` form lets Vite bundle the worker),
 * and this thread otherwise (Node, where the tests run the very same derivation inline).
 * @example
 * const argon2 = defaultArgon2Runner();
 */
export function defaultArgon2Runner(inline: Argon2Runner): Argon2Runner {
  const hasWorker = typeof (globalThis as { Worker?: unknown }).Worker === 'function';
  if (!hasWorker) return inline;
  return createWorkerArgon2Runner(
    () =>
      new Worker(new URL('./argon2-worker.ts', import.meta.url), {
        type: 'module',
        name: 'coffer-kdbx-argon2',
      }) as unknown as WorkerLike,
  );
}
