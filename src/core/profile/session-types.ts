/** The shapes the profile layer's calls take and give (Session in session.ts). */
import type { KdfPolicy, KdfRunner, VaultKey } from '../crypto';
import type { DeviceIdentity } from '../device';
import type { VaultId } from '../ids';
import type { IntegrationPlatform } from '../integrations';
import type { VaultMutex } from '../lock';
import type {
  CofferDatabase,
  CorruptDataError,
  CorruptionReason,
  SnapshotMakerFactory,
} from '../storage';
import type { CompactionPolicy, NameStyle } from '../vault';

/** This profile's device: its signing identity and the name other devices see. */
export interface ThisDevice extends DeviceIdentity {
  readonly name: string;
}

/** A vault received from another device by invitation. */
export interface JoinedVault {
  /** As the inviting device sent it: checked (InvalidIdError) before anything is stored. */
  readonly id: string;
  readonly name: string;
  readonly key: VaultKey;
  /** The device that let this one in: trusted until the vault's device list arrives. */
  readonly introducedBy: string;
  /** The vault's other devices as the inviter listed them: trusted likewise. */
  readonly members?: readonly string[];
  /** The team genesis the answer named: the membership log this device accepts. */
  readonly genesis?: string;
}

/** A vault as the list shows it. */
export interface VaultSummary {
  readonly id: VaultId;
  readonly name: string;
  readonly createdAt: number;
  /**
   * Its entries live only in memory while the profile is unlocked, never in IndexedDB (filled
   * from an outside secrets manager on unlock): see docs/data-model.md, "Memory-only vaults".
   */
  readonly memoryOnly: boolean;
}

/**
 * Which vault a call is about: its id (what the app uses: ids never clash), or its name (for
 * code, as in `openVault('my-vault')`; a name two vaults share is refused, never guessed).
 */
export type VaultSelector = string | { readonly id: VaultId };

/** A catalog record this profile holds but cannot read: the vault's name and key are in it. */
export interface UnreadableVault {
  readonly id: VaultId;
  readonly reason: CorruptionReason;
  /** Stored records of the vault's contents (snapshot and change rows), kept as they are. */
  readonly storedRecords: number;
}

/** The profile's vaults: those it can read, and the catalog records it cannot. */
export interface VaultCatalog {
  /** Sorted by name, then id. */
  readonly vaults: readonly VaultSummary[];
  readonly unreadable: readonly UnreadableVault[];
}

/** What a check of a vault's stored records found, without opening it (see `checkVault`). */
export interface VaultCheck {
  readonly id: VaultId;
  /** Records that do not open; every other record does. */
  readonly damaged: readonly CorruptDataError[];
  readonly records: number;
}

export interface CreateVaultOptions {
  /** 'environment' switches on Kinesis-style names (UPPER_SNAKE_CASE). Default 'default'. */
  readonly nameStyle?: NameStyle;
  /** Keep the vault's entries in memory only, never in IndexedDB (see VaultSummary.memoryOnly). */
  readonly memoryOnly?: boolean;
}

/** How `Session.setVaultMemoryOnly` turns memory-only storage off. */
export interface MemoryOnlyOptions {
  /**
   * Turning off: store what memory holds now as the vault's snapshot (sealed, as compaction
   * stores it). Without it the vault starts empty on this device and the memory copy is dropped.
   */
  readonly keepLocalCopy?: boolean;
}

/** What the profile needs from the platform, passed in by the composition root. */
export interface CofferOptions {
  readonly db: CofferDatabase;
  readonly kdf: KdfRunner;
  readonly mutex: VaultMutex;
  readonly kdfPolicy?: KdfPolicy;
  readonly clock?: () => number;
  readonly compaction?: CompactionPolicy;
  /** Makes vault snapshots off the page's thread (the app passes a Worker-backed one). */
  readonly snapshots?: SnapshotMakerFactory;
  /** The name other devices see for this one until the user changes it (e.g. "Chrome on Linux"). */
  readonly defaultDeviceName?: string;
  /** How integrations send requests and run hooks (the app passes the page's fetch and a Worker). */
  readonly integrations?: IntegrationPlatform;
}
