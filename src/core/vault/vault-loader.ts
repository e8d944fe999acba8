/**
 * Reading a vault from storage into memory: its log opened, its records decrypted and applied
 * to a fresh Yjs document, the entry store built over it. Damaged records are collected, never
 * fatal: the rest of the vault still opens.
 *
 * A tab waiting for a vault's lock prepares the vault meanwhile (`prepareVault`, which writes
 * nothing); once the lock is its own, `loadVault` catches the prepared vault up with what the
 * holder wrote since, or reads it again if the holder compacted meanwhile.
 */
import * as Y from 'yjs';
import { deriveSubkey, type VaultKey } from '../crypto';
import type { DeviceId, VaultId } from '../ids';
import type { Lease } from '../lock';
import {
  type CofferDatabase,
  CorruptDataError,
  type LoadedLog,
  MemoryVaultLog,
  type MemoryVaultStore,
  type SnapshotMakerFactory,
  type UpdateLog,
  VaultLog,
  type VaultLogOptions,
} from '../storage';
import type { CompactionPolicy } from './compaction';
import { createEntryStore, type EntryStore } from './entry-model';

/** What a handle is made of: where its vault is stored, its key, its lease and its policies. */
export interface VaultParts {
  readonly db: CofferDatabase;
  readonly vaultId: VaultId;
  readonly vaultName: string;
  readonly key: VaultKey;
  readonly lease: Lease;
  readonly clock: () => number;
  readonly newId: () => string;
  readonly compaction: CompactionPolicy;
  /** This profile's device id, if it has one: named in review marks. */
  readonly deviceId?: DeviceId;
  /** For a vault received by invitation, the device that let this one in (see VaultMetadata). */
  readonly introducedBy?: string;
  /** With `introducedBy`: the other devices it listed in its answer (see VaultMetadata). */
  readonly introducedMembers?: readonly string[];
  /** With `introducedBy`: the team genesis its answer named (see VaultMetadata). */
  readonly teamGenesis?: string;
  /** Whether another tab waits for the vault: closing then hands it over without compacting. */
  readonly hasWaiters?: () => Promise<boolean>;
  /** Makes snapshots off the page's thread; without it, the handle encodes and seals them. */
  readonly snapshots?: SnapshotMakerFactory;
  /**
   * Set for a memory-only vault: its document is kept here (the session's store), never in
   * `db` (docs/data-model.md, "Memory-only vaults").
   */
  readonly memory?: MemoryVaultStore;
  /**
   * Set for a new vault built in memory and stored whole (src/core/profile/create-filled-vault.ts):
   * its changes are applied but not encoded, logged or announced one by one (no `onLocalChange`);
   * the builder stores `encodeState()` instead. Saves Yjs an update encoding per change.
   */
  readonly staged?: boolean;
}

/** A vault read and built (ahead of its lock, or once it is held). */
export interface PreparedVault {
  readonly log: UpdateLog;
  readonly damaged: CorruptDataError[];
  readonly doc: Y.Doc;
  readonly store: EntryStore;
  /**
   * The decrypted stored updates it was built from, in order, for a snapshot maker's replica
   * (`VaultParts.snapshots`); taken (and emptied) by the handle.
   */
  readonly storedUpdates: Uint8Array[];
}

/** Applies decrypted stored updates to a document; an unreadable one is reported, not fatal. */
function applyStored(
  doc: Y.Doc,
  damaged: CorruptDataError[],
  updates: readonly Uint8Array[],
  vaultId: VaultId,
  firstIndex: number,
): void {
  Y.transact(
    doc,
    () => {
      updates.forEach((update, index) => {
        try {
          Y.applyUpdate(doc, update, 'storage');
        } catch (error) {
          // Authenticated but not a Yjs update: written by a faulty build. Report, keep going.
          damaged.push(
            new CorruptDataError(
              { store: 'updates', vaultId, seq: firstIndex + index },
              'malformed',
              { cause: error },
            ),
          );
        }
      });
    },
    'storage',
  );
}

/** Frees a prepared vault that will not be used. */
export function discardPrepared(prepared: PreparedVault): void {
  prepared.store.dispose();
  prepared.doc.destroy();
}

/**
 * Reads, decrypts and builds a vault without holding its lock. Nothing is written: until a
 * holder attaches (`loadVault`), the log refuses to write.
 */
export async function prepareVault(
  parts: Pick<VaultParts, 'db' | 'vaultId' | 'key' | 'clock' | 'newId' | 'memory'>,
): Promise<PreparedVault> {
  const { db, vaultId, key, memory } = parts;
  const options = { vaultId, key: deriveSubkey(key, 'storage'), mayWrite: () => false };
  const { log, loaded }: { log: UpdateLog; loaded: LoadedLog } = memory
    ? MemoryVaultLog.load({ ...options, store: memory })
    : await VaultLog.load({ ...options, db });
  // A guid of our own: Yjs's default draws 31 random numbers one call at a time, and nothing
  // here reads a document's guid (it names subdocuments, which vaults do not use).
  const doc = new Y.Doc({ gc: true, guid: vaultId });
  const damaged = [...loaded.damaged];
  applyStored(doc, damaged, loaded.updates, vaultId, 0);
  const store = createEntryStore(doc, { clock: parts.clock, newId: parts.newId });
  return { log, damaged, doc, store, storedUpdates: [...loaded.updates] };
}

/**
 * The vault as its holder starts with it: `prepared` caught up with what was written since it
 * was read, or (without one, if preparing failed, or if the holder compacted meanwhile) read
 * now. `callbacks` are the holder's: another holder's rows, and whether it may still write.
 */
export async function loadVault(
  parts: VaultParts,
  callbacks: Pick<VaultLogOptions, 'onExternalUpdates' | 'mayWrite'>,
  prepared?: Promise<PreparedVault>,
): Promise<PreparedVault> {
  const ready = prepared ? await prepared.catch(() => undefined) : undefined;
  if (ready) {
    ready.log.attach(callbacks);
    const fresh = await ready.log.refresh();
    if (!fresh.stale) {
      applyStored(ready.doc, ready.damaged, fresh.updates, parts.vaultId, ready.log.headSeq);
      ready.damaged.push(...fresh.damaged);
      ready.storedUpdates.push(...fresh.updates);
      return ready;
    }
    discardPrepared(ready);
  }
  const loaded = await prepareVault(parts);
  loaded.log.attach(callbacks);
  return loaded;
}

/**
 * The vault's whole document as one update, read from where it is kept (storage, or `memory`
 * for a memory-only vault) without its handle: what moving a vault between the two carries.
 * `damaged` lists stored records that did not open; the state then lacks what they held.
 */
export async function encodeVaultState(
  parts: Pick<VaultParts, 'db' | 'vaultId' | 'key' | 'clock' | 'newId' | 'memory'>,
): Promise<{ state: Uint8Array; damaged: CorruptDataError[] }> {
  const prepared = await prepareVault(parts);
  try {
    return { state: Y.encodeStateAsUpdate(prepared.doc), damaged: prepared.damaged };
  } finally {
    discardPrepared(prepared);
    // Encoded above: the document may hold views of these bytes until then.
    for (const update of prepared.storedUpdates) update.fill(0);
  }
}
