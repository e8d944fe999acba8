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
