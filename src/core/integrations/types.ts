import type { IntegrationId, VaultId } from '../ids';
import type { ConnectionField, ConnectionValue, JsonValue } from '../vault';

/** The HTTP methods an integration's request may use. */
export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type HttpMethod = (typeof httpMethods)[number];

/** One query parameter or header: both sides may hold references (`@{vault.KEY}`). */
export interface RequestPair {
  readonly name: string;
  readonly value: string;
  /** A pair switched off is kept in the editor and not sent. */
  readonly enabled: boolean;
}

export type BodyType = 'none' | 'json' | 'text';

/** The request as written: every text may hold references, substituted only when sending. */
/**
 * How a request authenticates: not at all (beyond what its headers say), or with a connection
 * entry (src/core/connections), named by its vault's id and its entry name (a rename of the entry
 * breaks the link, as it breaks `@{vault.NAME}`). The connection is read at every run: a change
 * to it takes effect at the next run of every integration that uses it.
 * @example
 * const auth: RequestAuth = { type: 'connection', vault, connection: 'github' };
 */
export type RequestAuth =
  | { readonly type: 'none' }
  | { readonly type: 'connection'; readonly vault: VaultId; readonly connection: string };

export interface RequestTemplate {
  /** Absent in integrations saved before connections: `{ type: 'none' }`. */
  readonly auth?: RequestAuth;
  readonly method: HttpMethod;
  readonly url: string;
  readonly query: readonly RequestPair[];
  readonly headers: readonly RequestPair[];
  readonly body: { readonly type: BodyType; readonly text: string };
}

/** An integration as stored (sealed under the profile key; docs/integrations.md). */
export interface Integration {
  readonly id: IntegrationId;
  readonly name: string;
  /** The vault `@{vault.KEY}` and the hooks' `vault` object read; undefined until chosen. */
  readonly defaultVault: VaultId | undefined;
  readonly request: RequestTemplate;
  /** JavaScript run before the request is sent; empty means no hook. */
  readonly beforeHook: string;
  /** JavaScript run with the response; empty means no hook. */
  readonly afterHook: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What `save` takes: everything but the id and the times. */
export type IntegrationDraft = Omit<Integration, 'id' | 'createdAt' | 'updatedAt'>;

export interface IntegrationSummary {
  readonly id: IntegrationId;
  readonly name: string;
  readonly updatedAt: number;
}

/** What an integration may do with a vault. No grant, no access. */
export type GrantAccess = 'read' | 'read-write';

export interface Grant {
  readonly integration: IntegrationId;
  readonly vault: VaultId;
  readonly access: GrantAccess;
}

/** Where in an integration a problem is: the UI shows it at that field. */
export type IntegrationField =
  | { readonly part: 'url' }
  | { readonly part: 'query'; readonly index: number; readonly side: 'name' | 'value' }
  | { readonly part: 'header'; readonly index: number; readonly side: 'name' | 'value' }
  | { readonly part: 'body' }
  | { readonly part: 'auth' }
  | { readonly part: 'default-vault' }
  | { readonly part: 'before-hook' }
  | { readonly part: 'after-hook' };

/** A problem found before anything is sent: at a field, in words that never hold a value. */
export interface FieldProblem {
  readonly field: IntegrationField;
  /** The stable code of the error behind it (reference-syntax, reference-unresolved, grant-missing…). */
  readonly code: string;
  readonly message: string;
  /** For a missing grant: the vault it names, so the UI can link to the permissions page. */
  readonly vault?: VaultId;
}

/** One `debug()` (or `console.log`) line of a hook, masked. */
export interface DebugLine {
  readonly hook: 'before' | 'after';
  readonly label: string | undefined;
  /** The value as JSON text (pretty), every secret the run touched masked. */
  readonly text: string;
}

/** The request as it was sent, masked. */
export interface SentRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string | undefined;
  readonly bodyTruncated: boolean;
}

/** The response as it arrived, masked, its body cut at 64 KiB. */
export interface ReceivedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
  readonly bodyBytes: number;
  readonly bodyTruncated: boolean;
}

/** Why a run failed, masked. */
export interface RunFailure {
  readonly code: string;
  readonly message: string;
  readonly hook?: 'before' | 'after';
  readonly line?: number;
  readonly field?: IntegrationField;
  /** For a missing grant: the vault, so the UI links to the permissions page. */
  readonly vault?: VaultId;
  /** For a request that failed: why (cors, unreachable, timeout, too-large, http-status…). */
  readonly reason?: string;
  /**
   * For a connection that could not be used (code `connection-incomplete` or
   * `token-request-failed`): which one, and the required fields that are empty, so the UI can
   * offer to fill them in.
   */
  readonly connection?: {
    readonly vault: VaultId;
    readonly name: string;
    readonly missing: readonly string[];
  };
}

export type RunStatus = 'succeeded' | 'failed' | 'cancelled';

/** One run, as run history keeps it (sealed at rest, the last 50 per integration). */
export interface RunRecord {
  readonly integration: IntegrationId;
  /** Increasing per integration. */
  readonly seq: number;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly status: RunStatus;
  readonly request: SentRequest | undefined;
  readonly response: ReceivedResponse | undefined;
  readonly debug: readonly DebugLine[];
  /** What each hook returned (JSON text, masked), when it returned something. */
  readonly results: { readonly before?: string; readonly after?: string };
  readonly failure: RunFailure | undefined;
  /** Secrets the run used that are too short to mask (fewer than 6 characters): a count. */
  readonly unmaskedShortSecrets: number;
  /** The names (never the values) the hooks kept, for `@{keep.` suggestions. */
  readonly keptNames: readonly string[];
}

/** What happens during a run, as it happens (every text already masked). */
export type RunEvent =
  | {
      readonly type: 'phase';
      readonly phase: 'checking' | 'before-hook' | 'sending' | 'after-hook' | 'saving';
    }
  | {
      readonly type: 'waiting';
      readonly vault: string;
      /** The holder's label ("Tab opened 10:42") and since when, if it said. */
      readonly holder: string | undefined;
      readonly since: number | undefined;
    }
  | { readonly type: 'waiting-over'; readonly vault: string }
  | {
      /** The connection's access token is being replaced before the request goes out. */
      readonly type: 'token';
      readonly connection: string;
      /** `refreshing`: asking the token endpoint; `waiting-for-device`: another device is. */
      readonly step: 'refreshing' | 'waiting-for-device' | 'done';
    }
  | { readonly type: 'debug'; readonly line: DebugLine }
  | { readonly type: 'request'; readonly request: SentRequest }
  | { readonly type: 'response'; readonly response: ReceivedResponse }
  | { readonly type: 'done'; readonly record: RunRecord };

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** How long each hook may run (default 10 s; waiting for a vault's lock does not count). */
  readonly hookTimeLimitMs?: number;
  /** How long the request may take, from sending to the last byte (default 30 s). */
  readonly requestTimeoutMs?: number;
  readonly onEvent?: (event: RunEvent) => void;
}

/** Names a reference may use, for the editor's `@{` suggestions. */
export interface ReferenceNames {
  /** The default vault's name and entries, if it is granted. */
  readonly defaultVault: { readonly name: string; readonly entries: readonly string[] } | undefined;
  /** Every other vault the integration may read, with its entries. */
  readonly vaults: readonly { readonly name: string; readonly entries: readonly string[] }[];
  /** Names kept by the hooks in the last run. */
  readonly kept: readonly string[];
}

/**
 * A connection an integration can pick for its request's auth: where it is, its type, and the
 * required fields still empty (no values).
 */
export interface ConnectionChoice {
  readonly vault: VaultId;
  readonly vaultName: string;
  readonly name: string;
  readonly type: string;
  readonly missing: readonly string[];
}

export type { JsonValue };

/**
 * A profile's integrations, their vault grants and their run history (`session.integrations`).
 * Every method rejects (never throws) with a CofferError: IntegrationNotFoundError,
 * IntegrationNameTakenError, InvalidIntegrationError, ProfileLockedError, storage errors.
 */
export interface IntegrationsApi {
  /** Every integration, by name. */
  list(): Promise<IntegrationSummary[]>;
  get(id: IntegrationId): Promise<Integration>;
  /** A new integration named `name` (unique in the profile, ignoring case): a GET with no hooks. */
  create(name: string): Promise<Integration>;
  /** Replaces what the integration holds (its name too); checks the shape, not the references. */
  save(id: IntegrationId, draft: IntegrationDraft): Promise<Integration>;
  rename(id: IntegrationId, name: string): Promise<Integration>;
  /** A copy named "<name> copy" (then "copy 2"…), with the same grants; no run history. */
  duplicate(id: IntegrationId): Promise<Integration>;
  /** Deletes the integration, its grants and its run history. */
  delete(id: IntegrationId): Promise<void>;

  /** Every grant of every integration. */
  grants(): Promise<Grant[]>;
  /** Adds a grant, or changes the access of the one for the same integration and vault. */
  setGrant(grant: Grant): Promise<void>;
  removeGrant(integration: IntegrationId, vault: VaultId): Promise<void>;

  /**
   * What would stop a run before anything is sent: reference syntax, unknown vaults, entries
   * and fields, missing grants, header values that cannot be sent. Opens no vault it cannot
   * read; waits for none (a vault open elsewhere is checked by name only).
   */
  check(
    integration: Integration | (IntegrationDraft & { readonly id: IntegrationId }),
  ): Promise<FieldProblem[]>;
  /**
   * The connections of every vault the integration may read (its grants), by vault then name:
   * what the request's Auth picker offers. Reads names and types only, never values.
   */
  connections(
    integration: Integration | (IntegrationDraft & { readonly id: IntegrationId }),
  ): Promise<ConnectionChoice[]>;
  /**
   * Creates a connection entry in `vault` (the editor's "+"): `value` may have every field
   * empty ("Create an empty connection"). Waits for the vault like a run does. Rejects with the
   * vault's own errors (NameTakenError, InvalidNameError, InvalidEntryError), nothing written.
   */
  createConnection(vault: VaultId, name: string, value: ConnectionValue): Promise<void>;
  /**
   * Changes some fields of a connection (a run's "Fill in"): `fields` as in
   * `EntryChanges.fields` (null removes). Credentials changed drop the stored access token, so
   * the next run gets a new one with them.
   */
  updateConnection(
    vault: VaultId,
    name: string,
    fields: Readonly<Record<string, ConnectionField | null>>,
  ): Promise<void>;
  /** The names `@{` may offer in this integration's fields. */
  referenceNames(
    integration: Integration | (IntegrationDraft & { readonly id: IntegrationId }),
  ): Promise<ReferenceNames>;

  /**
   * Starts the hook engine ahead of the first run (the editor calls it when hooks are shown),
   * so that run does not wait for the Worker and the engine to load. Never rejects.
   */
  prepareHooks(): void;
  /** Runs the integration as saved; resolves with the run's record (also when the run failed). */
  run(id: IntegrationId, options?: RunOptions): Promise<RunRecord>;
  /** The run history, newest first (at most 50). */
  runs(id: IntegrationId): Promise<RunRecord[]>;
  clearRuns(id: IntegrationId): Promise<void>;
}
