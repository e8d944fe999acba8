import Dexie from 'dexie';
import { CofferError, errorCode } from '../errors';
import type { StoreName } from './db';

/** Which stored record an error is about: its store and its key. Never its contents. */
export interface RecordRef {
  readonly store: StoreName;
  /** The vault id for vault rows, updates and snapshots. */
  readonly vaultId?: string;
  /** The sequence number for updates and snapshots. */
  readonly seq?: number;
  /** Which record of the profile store (settings, this device's key, grants), or the integration. */
  readonly id?: string;
}

export type CorruptionReason =
  | 'authentication' // the ciphertext, its header or its place does not authenticate
  | 'key-mismatch' // sealed for another key
  | 'unsupported-format' // a version this build cannot read
  | 'malformed' // not an envelope, or its plaintext does not parse
  | 'missing-key'; // a vault row whose key cannot be unwrapped

/**
 * Why a record did not open, from what opening it threw: the one mapping every record reader
 * uses (catalog, settings and device records, update rows, snapshots). An envelope from a newer
 * build is 'unsupported-format', never 'malformed', so the app can say "update Coffer" rather
 * than "damaged"; anything that is not one of the envelope's own errors is 'malformed'.
 * @example
 * corruptionReason(new KeyMismatchError()); // 'key-mismatch'
 */
export function corruptionReason(error: unknown): CorruptionReason {
  switch (errorCode(error)) {
    case 'key-mismatch':
      return 'key-mismatch';
    case 'unsupported-format':
      return 'unsupported-format';
    case 'authentication-failed':
      return 'authentication';
    default:
      return 'malformed';
  }
}

const describeRecord = (record: RecordRef): string =>
  record.store === 'integrations'
    ? `integration ${record.id}`
    : record.store === 'runs'
      ? `run ${record.seq} of integration ${record.id}`
      : record.store === 'providers'
        ? record.id === 'defaults'
          ? 'the default provider record'
          : `the provider record of vault ${record.id}`
        : describeVaultRecord(record);

const describeVaultRecord = (record: RecordRef): string =>
  record.store === 'updates' || record.store === 'snapshots'
    ? `${record.store === 'updates' ? 'update' : 'snapshot'} ${record.seq} of vault ${record.vaultId}`
    : record.store === 'vaults'
      ? `vault record ${record.vaultId}`
      : record.store === 'profile'
        ? record.id === 'device'
          ? "this device's key record"
          : record.id === 'grants'
            ? 'the integration grants record'
            : 'the settings record'
        : record.id === 'recovery'
          ? 'the recovery record'
          : 'the keyring';

/**
 * A stored record failed to open. It names the record; the other records still open.
 */
export class CorruptDataError extends CofferError {
  override readonly name = 'CorruptDataError';
  override readonly code = 'corrupt-data' as const;
  constructor(
    readonly record: RecordRef,
    readonly reason: CorruptionReason,
    options?: { cause?: unknown },
  ) {
    super(`${describeRecord(record)} is damaged and cannot be read (${reason})`, options);
  }
}

/**
 * The browser refused to store more (quota). Nothing already saved was lost; the change that
 * hit the limit was not made.
 */
export class StorageFullError extends CofferError {
  override readonly name = 'StorageFullError';
  override readonly code = 'storage-full' as const;
  constructor(
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super(
      `the browser's storage for Coffer is full, so ${operation} was not saved. Everything saved before is intact: free some space (or delete unused vaults) and try again.`,
      options,
    );
  }
}

/** IndexedDB failed for another reason (blocked, closed, unavailable in private mode, ...). */
export class StorageUnavailableError extends CofferError {
  override readonly name = 'StorageUnavailableError';
  override readonly code = 'storage-unavailable' as const;
  constructor(
    readonly operation: string,
    readonly domExceptionName: string,
    options?: { cause?: unknown },
  ) {
    super(`storage failed while ${operation} (${domExceptionName})`, options);
  }
}

function isQuotaError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'QuotaExceededError') return true;
  const inner = (error as { inner?: unknown }).inner;
  return inner !== undefined && inner !== error && isQuotaError(inner);
}

/**
 * Maps what Dexie and IndexedDB throw to Coffer's errors. Errors that are already Coffer's
 * pass through unchanged.
 */
export function mapStorageError(error: unknown, operation: string): Error {
  if (
    error instanceof CorruptDataError ||
    error instanceof StorageFullError ||
    error instanceof StorageUnavailableError
  ) {
    return error;
  }
  if (isQuotaError(error)) return new StorageFullError(operation, { cause: error });
  const fromStorage =
    error instanceof Dexie.DexieError ||
    (typeof DOMException !== 'undefined' && error instanceof DOMException);
  if (!fromStorage) return error instanceof Error ? error : new Error(String(error));
  return new StorageUnavailableError(operation, (error as Error).name, { cause: error });
}
