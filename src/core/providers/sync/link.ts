/**
 * A vault's link to one remote secret, as stored (sealed) in the `providers` store, and the
 * shape checks for what is read back. A record of the wrong shape is a ProviderLinkError
 * ('invalid-record') naming the field: it concerns that vault only.
 */
import { parseProviderSettings } from '../settings';
import { asRemoteVersion, type ProviderSettings, type RemoteVersion } from '../types';
import { ProviderLinkError } from './errors';

export type MigrationStage = 'started' | 'copied' | 'verified' | 'switched';

/** A migration of the link's remote path, recorded before each step so it can be resumed or undone. */
export interface LinkMigration {
  readonly from: string;
  readonly to: string;
  readonly stage: MigrationStage;
  /** The old secret's version when it was read (the copy is of that version). */
  readonly fromVersion?: RemoteVersion;
}

export interface ProviderLink {
  /** The remote secret's path (HashiCorp: below the engine path; AWS: the secret's name). */
  readonly path: string;
  /** Off: the link is kept but nothing syncs (no pull, no push, no auto-sync). */
  readonly enabled: boolean;
  /** Pull at unlock and push after local changes. */
  readonly autoSync: boolean;
  /** Values stay out of IndexedDB: the vault is filled by a pull each time it opens. */
  readonly memoryOnly: boolean;
  /** The remote version the base was taken at ('absent': the remote had no secret). */
  readonly remoteVersion?: RemoteVersion | 'absent';
  /** Per key, the digest of the value both sides last agreed on. */
  readonly base: Readonly<Record<string, string>>;
  /** The synced keys, so a memory-only vault can show names before its values arrive. */
  readonly names: readonly string[];
  /** Keys awaiting review: changed on both sides since the base. */
  readonly conflicts: readonly string[];
  /** The salt of the base digests (base64url, 16 bytes). */
  readonly salt: string;
  readonly lastSyncAt?: number;
  readonly migration?: LinkMigration;
}

/** What a vault's record holds: its own settings (instead of the profile's) and its link. */
export interface VaultProviderRecord {
  readonly override?: ProviderSettings;
  readonly link?: ProviderLink;
}

/** The profile-wide record ('defaults'). */
export interface DefaultsRecord {
  readonly settings?: ProviderSettings;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function invalid(vaultId: string, field: string, problem: string): never {
  throw new ProviderLinkError(
    'invalid-record',
    { vaultId, field },
    `the provider link of vault ${vaultId}: ${field} ${problem}`,
  );
}

const stages: readonly MigrationStage[] = ['started', 'copied', 'verified', 'switched'];

function stringList(vaultId: string, value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    return invalid(vaultId, field, 'is not a list of names');
  }
  return [...value];
}

function parseMigration(vaultId: string, value: unknown): LinkMigration {
  if (!isObject(value)) return invalid(vaultId, 'link.migration', 'is not an object');
  const { from, to, stage, fromVersion } = value;
  if (typeof from !== 'string') return invalid(vaultId, 'link.migration.from', 'is not text');
  if (typeof to !== 'string') return invalid(vaultId, 'link.migration.to', 'is not text');
  if (!stages.includes(stage as MigrationStage)) {
    return invalid(vaultId, 'link.migration.stage', 'is not a migration stage');
  }
  if (fromVersion !== undefined && typeof fromVersion !== 'string') {
    return invalid(vaultId, 'link.migration.fromVersion', 'is not text');
  }
  return {
    from,
    to,
    stage: stage as MigrationStage,
    ...(fromVersion === undefined ? {} : { fromVersion: asRemoteVersion(fromVersion) }),
  };
}

/** A stored link, checked field by field. */
export function parseLink(vaultId: string, value: unknown): ProviderLink {
  if (!isObject(value)) return invalid(vaultId, 'link', 'is not an object');
  const { path, enabled, autoSync, memoryOnly, remoteVersion, base, salt, lastSyncAt } = value;
  if (typeof path !== 'string' || path === '')
    return invalid(vaultId, 'link.path', 'is not a path');
  for (const [field, flag] of [
    ['enabled', enabled],
    ['autoSync', autoSync],
    ['memoryOnly', memoryOnly],
  ] as const) {
    if (typeof flag !== 'boolean') invalid(vaultId, `link.${field}`, 'is not true or false');
  }
  if (remoteVersion !== undefined && typeof remoteVersion !== 'string') {
    return invalid(vaultId, 'link.remoteVersion', 'is not text');
  }
  if (!isObject(base) || !Object.values(base).every((digest) => typeof digest === 'string')) {
    return invalid(vaultId, 'link.base', 'is not a map of digests');
  }
  if (typeof salt !== 'string' || !/^[A-Za-z0-9_-]{22}$/.test(salt)) {
    return invalid(vaultId, 'link.salt', 'is not 16 bytes of base64url');
  }
  if (
    lastSyncAt !== undefined &&
    (typeof lastSyncAt !== 'number' || !Number.isFinite(lastSyncAt))
  ) {
    return invalid(vaultId, 'link.lastSyncAt', 'is not a time');
  }
  return {
    path,
    enabled: enabled as boolean,
    autoSync: autoSync as boolean,
    memoryOnly: memoryOnly as boolean,
    ...(remoteVersion === undefined
      ? {}
      : { remoteVersion: remoteVersion === 'absent' ? 'absent' : asRemoteVersion(remoteVersion) }),
    base: { ...(base as Record<string, string>) },
    names: stringList(vaultId, value.names, 'link.names'),
    conflicts: stringList(vaultId, value.conflicts, 'link.conflicts'),
    salt,
    ...(lastSyncAt === undefined ? {} : { lastSyncAt }),
    ...(value.migration === undefined
      ? {}
      : { migration: parseMigration(vaultId, value.migration) }),
  };
}

/** A vault's stored record, checked. */
export function parseVaultRecord(vaultId: string, value: unknown): VaultProviderRecord {
  if (!isObject(value)) return invalid(vaultId, 'record', 'is not an object');
  const override =
    value.override === undefined ? undefined : parseSettingsFor(vaultId, value.override);
  const link = value.link === undefined ? undefined : parseLink(vaultId, value.link);
  return { ...(override ? { override } : {}), ...(link ? { link } : {}) };
}

function parseSettingsFor(vaultId: string, value: unknown): ProviderSettings {
  try {
    return parseProviderSettings(value, 'override');
  } catch (error) {
    if (error instanceof ProviderLinkError) {
      const field = error.field ?? 'override';
      return invalid(vaultId, field, 'has the wrong shape');
    }
    throw error;
  }
}

/** The profile's defaults record, checked. */
export function parseDefaultsRecord(value: unknown): DefaultsRecord {
  if (!isObject(value)) {
    throw new ProviderLinkError(
      'invalid-record',
      { field: 'defaults' },
      'the provider defaults: record is not an object',
    );
  }
  return value.settings === undefined
    ? {}
    : { settings: parseProviderSettings(value.settings, 'defaults.settings') };
}
