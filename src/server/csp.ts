/**
 * Coffer's Content Security Policy, in one place: the server sends it as a header, and the
 * build writes the same policy (less `frame-ancestors`, which browsers ignore in a meta tag)
 * into index.html so the page stays protected when served by any static host.
 */
const directives: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self'"],
  // 'self' covers same-origin ws:/wss: too (CSP3), which the signaling relay uses. Integrations
  // send the requests their users write, so any https origin is allowed, and plain http only
  // to this machine (src/core/integrations/http.ts refuses the rest with words first).
  // script-src stays 'self': only Coffer's own code can send anything.
  ['connect-src', "'self' https: http://localhost:* http://127.0.0.1:* http://*.localhost:*"],
  ['worker-src', "'self'"],
  ['manifest-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-src', "'none'"],
  ['frame-ancestors', "'none'"],
];

function serialize(filter: (name: string) => boolean): string {
  return directives
    .filter(([name]) => filter(name))
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

/** The policy sent as the `Content-Security-Policy` response header. */
export const contentSecurityPolicyHeader: string = serialize(() => true);

/** The same policy for a `<meta http-equiv>` tag, where `frame-ancestors` is not allowed. */
export const contentSecurityPolicyMeta: string = serialize((name) => name !== 'frame-ancestors');

/**
 * The hook Worker's own policy (src/core/hooks/hook-worker.ts). A dedicated Worker loaded from
 * a URL is governed by the CSP of its own response, not the page's, and this one runs the
 * QuickJS engine, which needs to compile WebAssembly: 'wasm-unsafe-eval' (compiling and
 * instantiating wasm, never JavaScript `eval`), for this file only, so the page keeps its
 * policy without it. Everything else is shut: the engine's own chunks and `.wasm` are fetched
 * from 'self'; the hooks themselves run inside QuickJS and have no fetch at all, so
 * `connect-src 'self'` only lets the engine load its module.
 */
const hookWorkerDirectives: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'none'"],
  ['script-src', "'self' 'wasm-unsafe-eval'"],
  ['connect-src', "'self'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** The policy sent with the hook Worker's script. */
export const hookWorkerContentSecurityPolicyHeader: string = hookWorkerDirectives
  .map(([name, value]) => `${name} ${value}`)
  .join('; ');

/**
 * The built hook Worker: Vite names a Worker chunk after its entry file, `hook-worker.ts`, plus
 * a content hash (base64url characters).
 */
const hookWorkerPath = /^\/assets\/hook-worker-[A-Za-z0-9_-]+\.js$/;

/**
 * The Content-Security-Policy header for a built file, by its URL path: the hook Worker's for
 * the hook Worker, the page's for everything else.
 * @example
 * contentSecurityPolicyFor('/assets/hook-worker-DhsHHtfs.js'); // hookWorkerContentSecurityPolicyHeader
 * contentSecurityPolicyFor('/index.html'); // contentSecurityPolicyHeader
 */
export function contentSecurityPolicyFor(path: string): string {
  return hookWorkerPath.test(path)
    ? hookWorkerContentSecurityPolicyHeader
    : contentSecurityPolicyHeader;
}
