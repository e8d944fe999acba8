import type { Table } from 'dexie';
import {
  asKey,
  associatedData,
  concat,
  fromUtf8,
  open,
  type ProfileKey,
  seal,
  utf8,
  type VaultKey,
} from '../crypto';
import { asVaultId, type VaultId } from '../ids';
import type { CofferDatabase, VaultRow } from './db';
import { CorruptDataError, corruptionReason, mapStorageError, type RecordRef } from './errors';

/**
 * The keyring row and the vault catalog rows (docs/crypto.md, "Records").
 *
 * A vault row is `{ id, sealed }` with
 *   sealed = seal(profile key, vault key (32 bytes) || UTF-8 JSON metadata, ad("vault", id))
 * so the vault's name, settings and creation time are as opaque at rest as its entries.
 */

/** What the catalog knows about a vault: nothing here is ever stored in the clear. */
export interface VaultMetadata {
  readonly name: string;
  readonly createdAt: number;
  /**
   * For a vault this profile got by invitation: the device that let it in. It is trusted as a
   * writer until the vault's own device list arrives from it, and this profile never founds a
   * device list of its own for the vault.
   */
  readonly introducedBy?: string;
  /** With `introducedBy`: the vault's other devices as it listed them, trusted likewise. */
  readonly introducedMembers?: readonly string[];
  /** With `introducedBy`: the team genesis the answer named (the anchor of the membership log). */
  readonly teamGenesis?: string;
  /** On this device the vault's document is kept in memory only (docs/data-model.md). */
  readonly memoryOnly?: boolean;
}

export interface OpenedVaultRecord {
  /** Checked canonical (the row's id is authenticated by the seal, its spelling here). */
  readonly id: VaultId;
  readonly key: VaultKey;
  readonly metadata: VaultMetadata;
}

const vaultContext = (vaultId: string) => associatedData('vault', vaultId);

/**
 * Opens one sealed profile-key record, or throws a CorruptDataError naming it with the reason
 * `corruptionReason` gives: the one way catalog, settings and device records are opened.
 */
function openRecord(
  profileKey: ProfileKey,
  sealed: unknown,
  context: Uint8Array,
  record: RecordRef,
): Uint8Array {
  try {
    if (!(sealed instanceof Uint8Array)) throw new TypeError('not bytes');
    return open(profileKey, sealed, context);
  } catch (error) {
    throw new CorruptDataError(record, corruptionReason(error), { cause: error });
  }
}

export function sealVaultRecord(
  profileKey: ProfileKey,
  id: string,
  key: VaultKey,
  metadata: VaultMetadata,
): VaultRow {
  const plaintext = concat(
    key,
    utf8(
      JSON.stringify({
        name: metadata.name,
        createdAt: metadata.createdAt,
        ...(metadata.introducedBy !== undefined ? { introducedBy: metadata.introducedBy } : {}),
        ...(metadata.introducedMembers !== undefined
          ? { introducedMembers: metadata.introducedMembers }
          : {}),
        ...(metadata.teamGenesis !== undefined ? { teamGenesis: metadata.teamGenesis } : {}),
        ...(metadata.memoryOnly === true ? { memoryOnly: true } : {}),
      }),
    ),
  );
  return { id, sealed: seal(profileKey, plaintext, vaultContext(id)) };
}

function isMetadata(value: unknown): value is VaultMetadata {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.name === 'string' && typeof record.createdAt === 'number';
}

/** Opens a catalog row, or rejects with a CorruptDataError naming it. */
export function openVaultRecord(profileKey: ProfileKey, row: VaultRow): OpenedVaultRecord {
  const ref = { store: 'vaults', vaultId: row.id } as const;
  const plaintext = openRecord(profileKey, row.sealed, vaultContext(row.id), ref);
  try {
    const metadata: unknown = JSON.parse(fromUtf8(plaintext.subarray(32)));
    if (plaintext.length < 32 || !isMetadata(metadata))
      throw new TypeError('metadata has the wrong shape');
    return {
      id: asVaultId(row.id),
      key: asKey(plaintext.slice(0, 32), 'vault'),
      metadata: {
        name: metadata.name,
        createdAt: metadata.createdAt,
        ...(typeof metadata.introducedBy === 'string'
          ? { introducedBy: metadata.introducedBy }
          : {}),
        ...(Array.isArray(metadata.introducedMembers) &&
        metadata.introducedMembers.every((id) => typeof id === 'string')
          ? { introducedMembers: metadata.introducedMembers as string[] }
          : {}),
        ...(typeof metadata.teamGenesis === 'string' ? { teamGenesis: metadata.teamGenesis } : {}),
        ...(metadata.memoryOnly === true ? { memoryOnly: true } : {}),
      },
    };
  } catch (error) {
    throw new CorruptDataError(ref, 'malformed', { cause: error });
  } finally {
    plaintext.fill(0);
  }
}

const settingsContext = () => associatedData('settings');

/**
 * Reads the profile's settings (any JSON object), or `undefined` if none were saved. A damaged
 * record is reported as CorruptDataError; callers fall back to defaults.
 */
export async function readSettings(db: CofferDatabase, profileKey: ProfileKey): Promise<unknown> {
  let row: { sealed: Uint8Array } | undefined;
  try {
    row = await db.strict.profile.get('settings');
  } catch (error) {
    throw mapStorageError(error, 'reading settings');
  }
  if (!row) return undefined;
  const ref = { store: 'profile', id: 'settings' } as const;
  const plaintext = openRecord(profileKey, row.sealed, settingsContext(), ref);
  try {
    return JSON.parse(fromUtf8(plaintext));
  } catch (error) {
    throw new CorruptDataError(ref, 'malformed', { cause: error });
  }
}

export async function writeSettings(
  db: CofferDatabase,
  profileKey: ProfileKey,
  settings: unknown,
): Promise<void> {
  const sealed = seal(profileKey, utf8(JSON.stringify(settings)), settingsContext());
  try {
    await db.strict.profile.put({ id: 'settings', sealed });
  } catch (error) {
    throw mapStorageError(error, 'saving settings');
  }
}

const deviceContext = () => associatedData('device');

/** This profile's device: its Ed25519 secret key and the name other devices see. */
export interface DeviceRecordData {
  readonly secretKey: Uint8Array;
  readonly name: string;
  readonly createdAt: number;
}

/**
 * Reads the device record (docs/crypto.md, "Device record"), or `undefined` if this profile has
 * none yet. A damaged record is a CorruptDataError naming it.
 */
export async function readDeviceRecord(
  db: CofferDatabase,
  profileKey: ProfileKey,
): Promise<DeviceRecordData | undefined> {
  let row: { sealed: Uint8Array } | undefined;
  try {
    row = await db.strict.profile.get('device');
  } catch (error) {
    throw mapStorageError(error, 'reading the device key');
  }
  if (!row) return undefined;
  const plaintext = openRecord(profileKey, row.sealed, deviceContext(), {
    store: 'profile',
    id: 'device',
  });
  try {
    const meta = JSON.parse(fromUtf8(plaintext.subarray(32))) as Record<string, unknown>;
    if (
      plaintext.length < 32 ||
      typeof meta.name !== 'string' ||
      typeof meta.createdAt !== 'number'
    )
      throw new TypeError('device metadata has the wrong shape');
    return { secretKey: plaintext.slice(0, 32), name: meta.name, createdAt: meta.createdAt };
  } catch (error) {
    throw new CorruptDataError({ store: 'profile', id: 'device' }, 'malformed', { cause: error });
  } finally {
    plaintext.fill(0);
  }
}

/** Seals and saves the device record: `seal(profile key, secret key || UTF-8 JSON { name, createdAt }, context("device"))`. */
export async function writeDeviceRecord(
  db: CofferDatabase,
  profileKey: ProfileKey,
  record: DeviceRecordData,
): Promise<void> {
  const plaintext = concat(
    record.secretKey,
    utf8(JSON.stringify({ name: record.name, createdAt: record.createdAt })),
  );
  const sealed = seal(profileKey, plaintext, deviceContext());
  plaintext.fill(0);
  try {
    await db.strict.profile.put({ id: 'device', sealed });
  } catch (error) {
    throw mapStorageError(error, 'saving the device key');
  }
}

export async function readKeyring(db: CofferDatabase): Promise<Uint8Array | undefined> {
  try {
    return (await db.strict.keyring.get('keyring'))?.bytes;
  } catch (error) {
    throw mapStorageError(error, 'reading the keyring');
  }
}

/** One put of one row: a change of passphrase is atomic because this is. */
export async function writeKeyring(db: CofferDatabase, bytes: Uint8Array): Promise<void> {
  try {
    await db.strict.keyring.put({ id: 'keyring', bytes });
  } catch (error) {
    throw mapStorageError(error, 'saving the keyring');
  }
}

/**
 * The recovery record (docs/crypto.md, "Recovery kit") is a second row of the `keyring` store,
 * id "recovery". db.ts types that store's key as "keyring" alone; this is the one place that
 * reaches the same table under the other id.
 */
const recoveryTable = (db: CofferDatabase) =>
  db.strict.keyring as unknown as Table<{ id: 'recovery'; bytes: Uint8Array }, 'recovery'>;

/** The recovery record's bytes, or `undefined` when no recovery code is set. */
export async function readRecoveryRecord(db: CofferDatabase): Promise<Uint8Array | undefined> {
  try {
    return (await recoveryTable(db).get('recovery'))?.bytes;
  } catch (error) {
    throw mapStorageError(error, 'reading the recovery record');
  }
}

/** One put of one row: a new recovery code replaces the old one (which stops working) at once. */
export async function writeRecoveryRecord(db: CofferDatabase, bytes: Uint8Array): Promise<void> {
  try {
    await recoveryTable(db).put({ id: 'recovery', bytes });
  } catch (error) {
    throw mapStorageError(error, 'saving the recovery record');
  }
}

/** Removes the recovery record: no recovery code opens the profile any more. */
export async function deleteRecoveryRecord(db: CofferDatabase): Promise<void> {
  try {
    await recoveryTable(db).delete('recovery');
  } catch (error) {
    throw mapStorageError(error, 'removing the recovery record');
  }
}

/**
 * The envelopes the profile key has sealed in the `vaults` and `profile` stores (catalog rows,
 * settings, device record, grants), as stored: recovery checks a recovered key against their
 * key ids before it replaces the keyring.
 */
export async function readProfileSealedRecords(db: CofferDatabase): Promise<Uint8Array[]> {
  try {
    const { strict } = db;
    return await strict.transaction('r', [strict.vaults, strict.profile], async () => {
      const rows = [...(await strict.vaults.toArray()), ...(await strict.profile.toArray())];
      return rows.map((row) => row.sealed);
    });
  } catch (error) {
    throw mapStorageError(error, "reading the profile's records");
  }
}

export async function readVaultRows(db: CofferDatabase): Promise<VaultRow[]> {
  try {
    return await db.strict.vaults.toArray();
  } catch (error) {
    throw mapStorageError(error, 'reading the vault list');
  }
}

export async function writeVaultRow(
  db: CofferDatabase,
  row: VaultRow,
  operation: string,
): Promise<void> {
  try {
    await db.strict.vaults.put(row);
  } catch (error) {
    throw mapStorageError(error, operation);
  }
}

/** How many records of a vault's contents are stored (its snapshot and change rows). */
export async function countVaultRecords(db: CofferDatabase, vaultId: string): Promise<number> {
  try {
    const { strict } = db;
    return await strict.transaction('r', [strict.snapshots, strict.updates], async () => {
      const snapshots = await strict.snapshots.where('vault').equals(vaultId).count();
      const rows = await strict.updates
        .where('[vault+seq]')
        .between([vaultId, 0], [vaultId, Number.MAX_SAFE_INTEGER], true, true)
        .count();
      return snapshots + rows;
    });
  } catch (error) {
    throw mapStorageError(error, "counting a vault's records");
  }
}

/** Deletes a vault's catalog row, snapshot and update rows in one durable transaction. */
export async function deleteVaultRecords(db: CofferDatabase, vaultId: string): Promise<void> {
  const { strict } = db;
  try {
    const stores = [strict.vaults, strict.snapshots, strict.updates, strict.providers];
    await strict.transaction('rw', stores, async () => {
      await strict.vaults.delete(vaultId);
      // Its provider link and settings override go with it; the remote secret stays.
      await strict.providers.delete(vaultId);
      await strict.snapshots.delete(vaultId);
      await strict.updates
        .where('[vault+seq]')
        .between([vaultId, 0], [vaultId, Number.MAX_SAFE_INTEGER], true, true)
        .delete();
    });
  } catch (error) {
    throw mapStorageError(error, 'deleting the vault');
  }
}
