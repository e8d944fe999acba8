import type { JsonValue } from '../vault';

/** Which outside secrets manager a profile or vault talks to. */
export type ProviderKind = 'hashicorp' | 'aws';

/** How Coffer logs in to HashiCorp Vault (or OpenBao). */
export type HashicorpAuth =
  | { readonly method: 'token'; readonly token: string }
  | {
      readonly method: 'approle';
      readonly roleId: string;
      readonly secretId: string;
      /** The AppRole auth mount, `approle` unless the operator mounted it elsewhere. */
      readonly mount?: string;
    };

/**
 * A HashiCorp Vault server. `address` is an origin (`https://vault.example.com:8200`), no path.
 * `namespace` (Enterprise, HCP, OpenBao) is sent as a path prefix (`/v1/<ns>/...`), which needs
 * no extra CORS header; `enginePath` is the KV mount, possibly with folders below it
 * (`secret`, `kv/team-a`): the mount part is found with `sys/internal/ui/mounts`.
 */
export interface HashicorpSettings {
  readonly kind: 'hashicorp';
  readonly address: string;
  readonly namespace?: string;
  readonly enginePath: string;
  readonly auth: HashicorpAuth;
}

/**
 * AWS Secrets Manager. `endpoint` overrides `https://secretsmanager.<region>.amazonaws.com`
 * (LocalStack, VPC endpoints). A browser has no profiles or default credential chain: access
 * keys (and an optional STS session token) are the only way in.
 */
export interface AwsSettings {
  readonly kind: 'aws';
  readonly region: string;
  readonly endpoint?: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export type ProviderSettings = HashicorpSettings | AwsSettings;

declare const remoteVersionBrand: unique symbol;
/**
 * The remote's version of one secret, opaque to everything but its provider: a KV v2 version
 * number, an AWS VersionId, or for KV v1 (which has no versions) a digest of the content.
 */
export type RemoteVersion = string & { readonly [remoteVersionBrand]: true };

export function asRemoteVersion(value: string): RemoteVersion {
  return value as RemoteVersion;
}

/** One remote secret: a JSON object of KEY: value, as stored, and the version read. */
export interface RemoteSecret {
  readonly path: string;
  readonly values: Readonly<Record<string, JsonValue>>;
  readonly version: RemoteVersion;
}

/** What `test()` found, for the Test connection line. */
export interface ConnectionReport {
  readonly kind: ProviderKind;
  /** KV version of the mount (HashiCorp only). */
  readonly kvVersion?: 1 | 2;
  /** The mount `enginePath` resolved to (HashiCorp only). */
  readonly mount?: string;
  /** Who the credentials are, as the remote says (token display name, AWS account), if known. */
  readonly identity?: string;
  /** How many secrets the first listing saw (a lower bound when paging goes on). */
  readonly secretsSeen: number;
}

/**
 * How strong a provider's check-and-set is: `atomic` when the remote refuses a write made
 * against a stale version (KV v2 `cas`, AWS stage move), `best-effort` when Coffer checks the
 * version just before and after writing (KV v1).
 */
export type CasStrength = 'atomic' | 'best-effort';

/** Where a secret stands after a delete. */
export interface DeletedSecret {
  readonly path: string;
  /** When the remote will remove it for good (AWS recovery window), if it says. */
  readonly purgeAt?: number;
  /** True when `restore` can bring it back. */
  readonly restorable: boolean;
}

/**
 * One outside secrets manager, reached from the page with `fetch`. Every method rejects with
 * ProviderError (what failed, never a value or a credential) or RemoteConflictError.
 */
export interface SecretsProvider {
  readonly kind: ProviderKind;
  readonly cas: CasStrength;
  /** Logs in and lists once; names exactly what failed. */
  test(signal?: AbortSignal): Promise<ConnectionReport>;
  /** Every secret path, folders followed and every page read, sorted. */
  list(signal?: AbortSignal): Promise<string[]>;
  /** The secret at `path`, or undefined when there is none (or it is deleted). */
  read(path: string, signal?: AbortSignal): Promise<RemoteSecret | undefined>;
  /**
   * Writes `values` at `path` if the remote is still at `expected` ('absent': nothing there).
   * Rejects with RemoteConflictError when it is not, and writes nothing.
   */
  write(
    path: string,
    values: Readonly<Record<string, JsonValue>>,
    expected: RemoteVersion | 'absent',
    signal?: AbortSignal,
  ): Promise<RemoteVersion>;
  /** Soft delete: KV v2 deletes the latest version (undeletable), AWS starts a recovery window. */
  delete(path: string, signal?: AbortSignal): Promise<DeletedSecret>;
  /** Permanent: KV v2 metadata delete, KV v1 delete, AWS force delete. */
  destroy(path: string, signal?: AbortSignal): Promise<void>;
  /** Undoes `delete` (KV v2 undelete of the latest version, AWS RestoreSecret). */
  restore(path: string, signal?: AbortSignal): Promise<void>;
}

/** Why a provider call failed, for the UI to explain (docs/providers.md lists each). */
export type ProviderFailure =
  /** Nothing answered at the address (down, wrong port, DNS). */
  | 'unreachable'
  /** The server answers a no-cors probe, but refuses this page's origin (CORS). */
  | 'cors'
  /** An https page may not call an http address. */
  | 'mixed-content'
  /** Token invalid or expired, AppRole role/secret id wrong, AWS key unknown. */
  | 'auth'
  /** Authenticated, but the policy lacks a capability on the path (list, read, create, ...). */
  | 'forbidden'
  /** No KV mount at the engine path (or the token cannot see it). */
  | 'no-mount'
  /** The mount exists but is not a KV engine. */
  | 'not-kv'
  /** AWS: the region does not exist or does not match the endpoint. */
  | 'region'
  /** AWS: the signature did not verify (wrong secret access key). */
  | 'signature'
  /** AWS: this device's clock is too far from the server's (over 15 minutes). */
  | 'clock-skew'
  /** AWS: the name is held by a secret scheduled for deletion. */
  | 'scheduled-for-deletion'
  /** The remote value is not a JSON object of KEY: value. */
  | 'not-an-object'
  /** Rate limited (429, ThrottlingException). */
  | 'throttled'
  /** The server failed (5xx, sealed Vault). */
  | 'server'
  /** The request took too long or was cancelled. */
  | 'timeout'
  /** Anything else the remote refused; `detail` has its words. */
  | 'refused';

/** Progress of a long operation (Pull All, migrate), for a progress bar. */
export interface Progress {
  readonly done: number;
  readonly total: number;
}
