/**
 * The hook Worker's entry (a dedicated module Worker the page starts, see index.ts): the engine
 * of engine.ts, with the QuickJS WebAssembly module fetched from its built asset URL.
 *
 * The server sends this file with its own CSP, which allows compiling WebAssembly
 * ('wasm-unsafe-eval') where the page's policy does not (src/server/csp.ts); the build names it
 * `assets/hook-worker-<hash>.js` so the server can tell it apart.
 */
import wasmUrl from '@jitl/quickjs-wasmfile-release-sync/wasm?url';
import { type HookWorkerScope, serveHookWorker } from './engine';

async function compile(): Promise<WebAssembly.Module> {
  const response = await fetch(wasmUrl, { credentials: 'same-origin' });
  if (!response.ok)
    throw new Error(`the engine's WebAssembly could not be fetched (${response.status})`);
  // Streaming compilation needs the application/wasm type; some static hosts send another.
  if (response.headers.get('content-type')?.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

serveHookWorker(globalThis as unknown as HookWorkerScope, {
  compile,
  now: () => performance.now(),
});
