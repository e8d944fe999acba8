/**
 * Errors of the backup module. They carry what was wrong and where, never the passphrase, a
 * key or anything from the payload.
 */
import { CofferError } from '../errors';

/** Why a backup file was refused as damaged (docs/crypto.md, "Backups", "A reader MUST reject"). */
export type BackupDamage =
  /** Not a Coffer backup at all: the first four bytes are not "CFBK". */
  | 'magic'
  /** Shorter than its header, or than one sealed chunk after it. */
  | 'length'
  /** The header's SHA-256 does not match: a byte of the header changed. */
  | 'header-checksum'
  /** The KDF parameters are outside what any Coffer writes (memory or time out of bounds). */
  | 'implausible-kdf'
  /** The KDF parameters are below the floor this build accepts (no downgrade). */
  | 'kdf-below-floor'
  /** The chunk size is outside 2^6..2^24 bytes. */
  | 'chunk-size'
  /** A chunk does not authenticate: damaged, truncated, reordered, or with bytes appended. */
  | 'chunk'
  /** The sealed stream opened but does not decompress. */
  | 'compression'
  /** It decompresses to more than the reader's bound (a decompression bomb). */
  | 'too-large'
  /** The payload's manifest or a vault's document is malformed. */
  | 'payload';

/**
 * The file is not a backup this build can read as it is: damaged, truncated, with bytes
 * appended, or made up. Nothing was written.
 * @example
 * if (error instanceof BackupInvalidError) show(`The backup file is damaged (${error.reason}).`);
 */
export class BackupInvalidError extends CofferError {
  override readonly name = 'BackupInvalidError';
  override readonly code = 'backup-invalid' as const;
  constructor(
    readonly reason: BackupDamage,
    /** For 'chunk': which chunk (0-based) failed. */
    readonly chunk?: number,
    options?: ErrorOptions,
  ) {
    super(
      `the backup file is damaged or not a Coffer backup (${reason}${chunk === undefined ? '' : ` at chunk ${chunk}`}); nothing was restored`,
      options,
    );
  }
}

/**
 * The passphrase does not open the backup: the key it derives has another key id than the one
 * in the (intact) header. Nothing was written.
 */
export class BackupWrongPassphraseError extends CofferError {
  override readonly name = 'BackupWrongPassphraseError';
  override readonly code = 'backup-wrong-passphrase' as const;
  constructor() {
    super('that passphrase does not open this backup');
  }
}

/** The file is a Coffer backup of a newer version (or KDF, or compression) than this build reads. */
export class BackupUnsupportedError extends CofferError {
  override readonly name = 'BackupUnsupportedError';
  override readonly code = 'backup-unsupported' as const;
  constructor(
    readonly field: 'version' | 'kdf' | 'compression' | 'payload-version',
    readonly value: number,
  ) {
    super(`this backup's ${field} is ${value}: made by a newer Coffer, this one cannot read it`);
  }
}
