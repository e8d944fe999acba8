/**
 * The hook Worker's entry for Node tests: engine.ts in a worker thread, with the QuickJS
 * WebAssembly read from the package's own file (the browser entry, hook-worker.ts, fetches the
 * built asset instead). Started by spawnNodeHookWorker in helpers.ts.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import { type HookWorkerScope, serveHookWorker } from '../../../src/core/hooks/engine';

const require = createRequire(import.meta.url);
const port = parentPort;
if (!port) throw new Error('node-hook-worker.ts runs in a worker thread');

const scope: HookWorkerScope = {
  postMessage: (message) => port.postMessage(message),
  addEventListener: (_type, listener) => port.on('message', (data: unknown) => listener({ data })),
};

serveHookWorker(scope, {
  compile: async () =>
    WebAssembly.compile(
      await readFile(require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm')),
    ),
  now: () => performance.now(),
});
