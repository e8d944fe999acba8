import { CofferError } from '../errors';
import type { KdfProgress, KdfRequest, KdfRunner } from './kdf';

/** The part of a DOM `Worker` the runner uses, so core does not name the global. */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

/** The KDF worker could not run the derivation (it failed to start, or scrypt threw). */
export class KdfWorkerError extends CofferError {
  override readonly name = 'KdfWorkerError';
  override readonly code = 'kdf-worker-failed' as const;
}

type WorkerReply =
  | { type: 'progress'; fraction: number }
  | { type: 'done'; key: Uint8Array }
  | { type: 'error'; message: string };

/**
 * A KdfRunner that derives in a fresh Worker and terminates it afterwards, so the 128 MiB
 * scrypt needs is given back at once and the page never blocks.
 * @example
 * const kdf = createWorkerKdfRunner(() => new Worker(new URL('./kdf-worker.ts', import.meta.url), { type: 'module' }));
 */
export function createWorkerKdfRunner(spawn: () => WorkerLike): KdfRunner {
  return (request: KdfRequest, onProgress?: KdfProgress) =>
    new Promise<Uint8Array>((resolve, reject) => {
      let worker: WorkerLike;
      try {
        worker = spawn();
      } catch (error) {
        reject(
          new KdfWorkerError(
            `the key derivation worker could not start: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
        return;
      }
      worker.addEventListener('message', (event: MessageEvent) => {
        const reply = event.data as WorkerReply;
        if (reply.type === 'progress') {
          onProgress?.(reply.fraction);
          return;
        }
        worker.terminate();
        if (reply.type === 'done') resolve(reply.key);
        else reject(new KdfWorkerError(`key derivation failed: ${reply.message}`));
      });
      worker.addEventListener('error', (event: ErrorEvent) => {
        worker.terminate();
        reject(
          new KdfWorkerError(
            `the key derivation worker failed: ${event.message || 'unknown error'}`,
          ),
        );
      });
      // A copy: the caller may wipe its passphrase bytes as soon as we return.
      worker.postMessage({ ...request, passphrase: request.passphrase.slice() });
    });
}
