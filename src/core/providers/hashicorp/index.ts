/**
 * HashiCorp Vault (and OpenBao, same wire protocol) as a SecretsProvider, over `fetch` from the
 * page. Written from Vault's API docs (api-docs/secret/kv/kv-v2, kv-v1, auth/approle,
 * auth/token, system/internal-ui-mounts, index#http-status-codes).
 *
 * Contract:
 * - `validateHashicorpSettings(input)` returns clean settings or throws ProviderSettingsError
 *   naming the field (address: an http(s) origin, no path, trailing slash or credentials;
 *   enginePath and namespace: segments with no leading/trailing slash, `//` or `..`; token or
 *   AppRole ids non-empty). It never echoes a value.
 * - `createHashicorpProvider(settings, deps)` implements SecretsProvider
 *   (src/core/providers/types.ts). Every request goes to `<address>/v1/[<namespace>/]...`: the
 *   namespace is a path prefix, never the X-Vault-Namespace header, which Vault's default CORS
 *   configuration does not allow. Requests carry `credentials: 'omit'`, `cache: 'no-store'`, the
 *   token in X-Vault-Token, and give up after 30 s (or on the caller's signal: 'timeout').
 * - Tokens live in memory only. AppRole logs in on first use; a token with a known lease
 *   (AppRole, or Token auth after `test()`) is renewed with renew-self, or AppRole logs in again,
 *   when 10% of its lease (at least a minute, at most half) is left (deps.now). A 403 with
 *   AppRole logs in again once and retries.
 * - The mount is found once per provider (sys/internal/ui/mounts): its KV version, and the
 *   folder of enginePath below it. `cas` is 'atomic' once the mount is known to be KV v2
 *   (Vault's check-and-set), 'best-effort' before that and on KV v1 (read, compare, write, read
 *   back). KV v1 versions are SHA-256 hex digests of the canonical JSON of the data.
 * - list() uses GET ?list=true (never the LIST verb), follows folders, returns paths relative
 *   to enginePath, sorted. read() returns undefined for missing and deleted secrets.
 * - delete() soft-deletes on v2 (restorable) and refuses on v1 ('refused': v1 has no soft
 *   delete, only destroy). destroy() removes every version. restore() undeletes the latest v2
 *   version.
 * - Failures are ProviderError with `reason` (see ProviderFailure) and Vault's own `errors` as
 *   detail, with any credential scrubbed; a fetch with no answer is told apart as 'cors' or
 *   'unreachable' by a no-cors probe of the address, and 'mixed-content' is refused before any
 *   request when the page (deps.origin) is https and the address plain http (loopback aside).
 *   403 becomes 'auth' when the token is no good, else 'forbidden' naming the capability; 412
 *   (Enterprise eventual consistency) is retried 3 times with back-off, then 'server'.
 */
export { canonicalJson, contentDigest } from './digest';
export { CONSISTENCY_RETRIES, type HashicorpDeps, REQUEST_TIMEOUT_MS } from './http';
export { createHashicorpProvider } from './provider';
export { validateHashicorpSettings } from './settings';
