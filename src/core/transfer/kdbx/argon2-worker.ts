/**
 * The body of the KDBX Argon2 Worker: one derivation per worker, off the page.
 *
 * Message in:   an Argon2Request
 * Messages out: { type: 'progress', fraction } then { type: 'done', key } or
 *               { type: 'error', reason, message } (reason: a KdbxFailure, or undefined)
 */
import { type Argon2Request, runArgon2Inline } from './argon2';
import { KdbxError } from './errors';

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Argon2Request>) => void): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.addEventListener('message', (event) => {
  runArgon2Inline(event.data, (fraction) => scope.postMessage({ type: 'progress', fraction })).then(
    (key) => scope.postMessage({ type: 'done', key }, [key.buffer]),
    (error: unknown) =>
      scope.postMessage({
        type: 'error',
        reason: error instanceof KdbxError ? error.reason : undefined,
        message: error instanceof Error ? error.message : String(error),
      }),
  );
});
