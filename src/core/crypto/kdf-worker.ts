/**
 * The body of the KDF Worker: runs scrypt off the main thread and reports progress.
 * Started by `createWorkerKdfRunner` (the app passes a factory that does `new Worker(...)`).
 *
 * Messages in:  { passphrase, salt, params }   (one derivation per worker)
 * Messages out: { type: 'progress', fraction } then { type: 'done', key } or { type: 'error', message }
 */
import { type KdfRequest, runScrypt } from './kdf';

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<KdfRequest>) => void): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.addEventListener('message', (event) => {
  let lastReported = -1;
  runScrypt(event.data, (fraction) => {
    // Progress arrives thousands of times; a percent is all a progress bar can show.
    const percent = Math.floor(fraction * 100);
    if (percent === lastReported) return;
    lastReported = percent;
    scope.postMessage({ type: 'progress', fraction });
  }).then(
    (key) => scope.postMessage({ type: 'done', key }, [key.buffer]),
    (error: unknown) =>
      scope.postMessage({
        type: 'error',
        message: error instanceof Error ? error.message : String(error),
      }),
  );
});
