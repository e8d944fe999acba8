import {
  applyConnection,
  ConnectionIncompleteError,
  claimRefresh,
  ensureAccessToken,
  type LeaseDeps,
  missingFields,
  type NamedConnection,
  REFRESH_LEASE_FIELD,
  TOKEN_ERROR_FIELD,
  TokenRequestFailedError,
  tokenState,
  usesTokenEndpoint,
} from '../connections';
import { randomBytes, toBase64url } from '../crypto';
import type { VaultId } from '../ids';
import type { LockManagerLike } from '../lock';
import type { Masker } from '../masking';
import type { Scheduler } from '../time';
import type { ConnectionField, ConnectionValue, Vault } from '../vault';
import { ReferenceUnresolvedError } from './errors';
import type { OutgoingRequest } from './http';
import { atField } from './request-build';
import type { RunSync } from './run-sync';
import type { IntegrationField, RequestAuth, RunEvent } from './types';
import type { VaultAccess, VaultLease } from './vault-access';
import type { VaultChooser } from './vault-names';

/**
 * A request's "Auth: connection": the connection is read from its vault at every run (so a
 * change reaches every integration at its next run), its OAuth2 access token is made fresh
 * first when due (ensureAccessToken: this browser's Web Lock per connection, and a refresh
 * lease in the vault document for other devices), and its credentials are put in the request.
 *
 * Why the vault stays open during a token request: the refresh token read and the rotated one
 * written must be one step, or a second run in this tab could read the old token in between.
 * The request itself goes out after the vault is closed again, like every run.
 *
 * The token upkeep writes to the vault (only the token fields) with a read grant: keeping a
 * connection usable is Coffer's upkeep of the connection, not a change the integration makes.
 */
export interface ConnectionAuthDeps {
  readonly chooser: VaultChooser;
  readonly access: VaultAccess;
  readonly locks: LockManagerLike;
  readonly fetch: typeof fetch;
  readonly scheduler: Scheduler;
  /** This device's id: who a refresh lease names. Absent: devices are not coordinated. */
  readonly device?: () => Promise<string>;
  /**
   * The refresh lease's timings (lease.ts): up to `connectMs` to meet another device, then
   * `settleMs`, then at most `waitMs` for another device's tokens.
   */
  readonly lease: {
    readonly settleMs: number;
    readonly waitMs: number;
    readonly connectMs: number;
  };
  /** Syncs a vault the run opened itself while it coordinates a refresh (run-sync.ts). */
  readonly sync?: (vault: Vault) => Promise<RunSync>;
}

/** Which connection a run used (for the failure's "Fill in"), and the token it sent. */
export interface UsedConnection {
  readonly vault: VaultId;
  readonly name: string;
  missing: readonly string[];
  accessToken?: string | undefined;
}

export const AUTH_FIELD: IntegrationField = Object.freeze({ part: 'auth' as const });

/** The refresh lease's defaults: sync between open devices takes well under a second. */
export const LEASE_SETTLE_MS = 1_500;
export const LEASE_WAIT_MS = 40_000;
/**
 * The longest a run waits to meet another device it knows is in the room (two devices joining
 * at once can take 8 to 16 s to connect); an empty room is known in about 6 s (run-sync.ts).
 */
export const LEASE_CONNECT_MS = 20_000;

export interface AuthorizeOptions {
  readonly signal?: AbortSignal | undefined;
  readonly emit: (event: RunEvent) => void;
  /** The access token the API just refused (a 401 `invalid_token`): replace it. */
  readonly rejected?: string | undefined;
  /** Filled in as soon as the connection is known, so a failure can name it. */
  readonly used: (used: UsedConnection) => void;
}

/** Checks that the run may use the connection's vault (read), without opening it. */
export function checkAuthGrant(chooser: VaultChooser, auth: RequestAuth | undefined): void {
  if (auth?.type !== 'connection') return;
  const target = chooser.byId(auth.vault);
  if (!target) {
    throw new ReferenceUnresolvedError(
      `Auth: ${auth.connection}`,
      'no-vault',
      "the connection's vault no longer exists; choose another connection",
      AUTH_FIELD,
    );
  }
  chooser.require(target, 'read', AUTH_FIELD);
}

/** Reads the connection from an open vault; ReferenceUnresolvedError when it is not one. */
export async function readConnection(
  vault: Vault,
  name: string,
): Promise<NamedConnection & { readonly id: string }> {
  const entry = await vault.getEntry(name);
  if (!entry) {
    throw new ReferenceUnresolvedError(
      `Auth: ${name}`,
      'no-entry',
      `vault "${vault.name}" has no entry ${name}`,
      AUTH_FIELD,
    );
  }
  if (entry.kind !== 'connection') {
    throw new ReferenceUnresolvedError(
      `Auth: ${name}`,
      'not-a-connection',
      `${name} in vault "${vault.name}" is a ${entry.kind}, not a connection`,
      AUTH_FIELD,
    );
  }
  return { id: entry.id, name: entry.name, value: entry.value };
}

/** The fields of `after` that differ from `before`, and `null` for those it dropped. */
export function fieldsPatch(
  before: ConnectionValue,
  after: ConnectionValue,
): Record<string, ConnectionField | null> {
  const patch: Record<string, ConnectionField | null> = {};
  for (const [name, field] of Object.entries(after.fields)) {
    const old = before.fields[name];
    if (
      !old ||
      old.value !== field.value ||
      old.secret !== field.secret ||
      (old.writeOnly === true) !== (field.writeOnly === true)
    ) {
      patch[name] = field;
    }
  }
  for (const name of Object.keys(before.fields)) {
    if (!Object.hasOwn(after.fields, name)) patch[name] = null;
  }
  return patch;
}

/**
 * The request with the connection's credentials, after making its access token fresh when
 * due. Adds every credential to `masker` before anything is shown. Rejects with
 * ConnectionIncompleteError (required fields empty: nothing is sent), TokenRequestFailedError
 * (recorded in the connection's `token_error`), ReferenceUnresolvedError or GrantMissingError.
 */
export async function authorize(
  deps: ConnectionAuthDeps,
  auth: Extract<RequestAuth, { type: 'connection' }>,
  request: OutgoingRequest,
  masker: Masker,
  options: AuthorizeOptions,
): Promise<OutgoingRequest> {
  checkAuthGrant(deps.chooser, auth);
  const target = deps.chooser.byId(auth.vault)!;
  const used: UsedConnection = { vault: target.id, name: auth.connection, missing: [] };
  options.used(used);
  const lease = await deps.access.acquire(target.id, {
    ...(options.signal ? { signal: options.signal } : {}),
    onWaiting: (holder) =>
      options.emit({
        type: 'waiting',
        vault: target.name,
        holder: holder?.label,
        since: holder?.since,
      }),
    onWaitingOver: () => options.emit({ type: 'waiting-over', vault: target.name }),
  });
  try {
    const vault = lease.vault;
    const stored = await readConnection(vault, auth.connection);
    let connection: NamedConnection = stored;
    const missing = missingFields(stored.value);
    if (missing.length > 0) {
      throw new ConnectionIncompleteError(stored.name, stored.value.type, missing);
    }
    // Every stored credential is a secret of this run, whatever it ends up sending.
    for (const field of Object.values(connection.value.fields)) {
      if (field.secret && field.value) masker.add(field.value);
    }
    let token: string | undefined;
    if (usesTokenEndpoint(connection.value.type)) {
      connection = await freshConnection(deps, lease, stored.id, connection, options);
      token = tokenState(connection.value)?.accessToken;
      if (token) masker.add(token);
      used.accessToken = token;
    }
    const applied = atField(AUTH_FIELD, () =>
      applyConnection({ url: request.url, headers: request.headers }, connection, token),
    );
    for (const secret of applied.secrets) masker.add(secret);
    return { ...request, url: applied.request.url, headers: applied.request.headers };
  } catch (error) {
    if (error instanceof ConnectionIncompleteError) used.missing = error.missing;
    throw error;
  } finally {
    await lease.release();
  }
}

async function freshConnection(
  deps: ConnectionAuthDeps,
  lease: VaultLease,
  id: string,
  start: NamedConnection,
  options: AuthorizeOptions,
): Promise<NamedConnection> {
  const vault = lease.vault;
  const selector = { id: id as never };
  const read = () => readConnection(vault, start.name);
  const shared = vault.members.devices().filter((d) => d.revokedAfterSeq === undefined).length > 1;
  const rotates = start.value.type === 'oauth2-refresh-token';
  const device = shared && rotates && deps.device ? await deps.device() : undefined;
  let runSync: RunSync | undefined;
  let wrote = false;
  try {
    const result = await ensureAccessToken(
      {
        fetch: deps.fetch,
        now: () => deps.scheduler.now(),
        scheduler: deps.scheduler,
        ...(options.signal ? { signal: options.signal } : {}),
        locks: deps.locks,
        read,
        write: async (value) => {
          const before = (await read()).value;
          await vault.update(selector, { fields: fieldsPatch(before, value) });
          wrote = true;
          options.emit({ type: 'token', connection: start.name, step: 'done' });
        },
        coordinate: async (current) => {
          options.emit({ type: 'token', connection: current.name, step: 'refreshing' });
          if (device === undefined) return undefined;
          // A vault on screen is synced by its pane; one the run opened is synced here.
          if (!lease.shared && deps.sync) {
            runSync = await deps.sync(vault);
            // Even when nobody came in time the lease is written and settled: another device
            // starting its run now may still be connecting (WebRTC takes seconds when busy).
            await runSync.waitForPeers(deps.lease.connectMs);
          }
          const outcome = await claimRefresh(
            leaseDeps(deps, vault, selector, device, current, options),
          );
          return outcome.kind === 'changed'
            ? { name: current.name, value: outcome.value }
            : undefined;
        },
        recordFailure: async (error) => {
          if (!(error instanceof TokenRequestFailedError)) return;
          const stored = {
            reason: error.reason,
            at: new Date(deps.scheduler.now()).toISOString(),
            message: error.message,
          };
          await vault.update(selector, {
            fields: {
              [TOKEN_ERROR_FIELD]: { value: JSON.stringify(stored), secret: false },
              [REFRESH_LEASE_FIELD]: null,
            },
          });
        },
      },
      id,
      options.rejected !== undefined ? { rejected: options.rejected } : {},
    );
    // The devices waiting for these tokens get them through this sync: give it time to send.
    // Devices in the room may be waiting for these tokens: they leave with this device.
    if (runSync && wrote) await runSync.linger(deps.lease.settleMs, deps.lease.connectMs);
    return result;
  } finally {
    await runSync?.stop().catch(() => undefined);
  }
}

function leaseDeps(
  deps: ConnectionAuthDeps,
  vault: Vault,
  selector: { readonly id: never },
  device: string,
  current: NamedConnection,
  options: AuthorizeOptions,
): LeaseDeps {
  return {
    device,
    read: async () => (await readConnection(vault, current.name)).value,
    writeLease: async (lease) => {
      await vault.update(selector, {
        fields: { [REFRESH_LEASE_FIELD]: { value: JSON.stringify(lease), secret: false } },
      });
    },
    waitForChange: (ms) => waitForChange(vault, deps.scheduler, ms, options.signal),
    now: () => deps.scheduler.now(),
    nonce: () => toBase64url(randomBytes(12)),
    settleMs: deps.lease.settleMs,
    waitMs: deps.lease.waitMs,
    onWaiting: () =>
      options.emit({ type: 'token', connection: current.name, step: 'waiting-for-device' }),
  };
}

/** Resolves after `ms`, or at the vault's next change (a remote one: another device's tokens). */
function waitForChange(
  vault: Vault,
  scheduler: Scheduler,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      stopListening();
      cancelTimer();
      signal?.removeEventListener('abort', aborted);
    };
    const aborted = () => {
      done();
      reject(signal?.reason);
    };
    const stopListening = vault.onChange((origin) => {
      if (origin === 'local') return;
      done();
      resolve();
    });
    const cancelTimer = scheduler.after(Math.max(0, ms), () => {
      done();
      resolve();
    });
    if (signal?.aborted) aborted();
    else signal?.addEventListener('abort', aborted, { once: true });
  });
}
