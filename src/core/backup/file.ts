/**
 * Sealing a backup's contents into one file under a backup passphrase, and opening it again
 * (docs/crypto.md, "Backups"). Pure over bytes: making the contents from a profile and
 * restoring them are make.ts and restore.ts.
 */
import {
  bytesEqual,
  defaultKdfPolicy,
  type KdfPolicy,
  type KdfRunner,
  keyIdOf,
  randomBytes,
  type SealingKey,
} from '../crypto';
import { gunzip, gzip } from './compress';
import { BackupWrongPassphraseError } from './errors';
import {
  type BackupHeader,
  defaultChunkLog,
  encodeBackupHeader,
  openChunks,
  readBackupHeader,
  saltLength,
  sealChunks,
} from './format';
import { assertBackupKdf, deriveBackupKey } from './keys';
import { type BackupContents, decodePayload, encodePayload } from './payload';

/** Where a backup is being made or read: the phase, and how far it is (0..1). */
export interface BackupProgress {
  readonly phase: 'collecting' | 'deriving' | 'sealing' | 'opening' | 'restoring';
  readonly fraction: number;
}

export interface BackupFileOptions {
  /** Where scrypt runs: the KDF Worker in the app, in process in tests. */
  readonly kdf: KdfRunner;
  /** Writes at `target`; refuses files below `floor`. Default: the profile's policy. */
  readonly policy?: KdfPolicy;
  readonly onProgress?: (progress: BackupProgress) => void;
  /** The most a payload may inflate to when read. Default 512 MiB. */
  readonly maxPayloadBytes?: number;
  /** Chunk size as a power of two (6..24). Default 16 (64 KiB). */
  readonly chunkLog?: number;
}

export const defaultMaxPayloadBytes = 512 * 2 ** 20;

/**
 * Seals `contents` under `passphrase`: one file's bytes.
 * @example
 * const file = await sealBackup(contents, 'a long backup passphrase', { kdf: inProcessKdf });
 */
export async function sealBackup(
  contents: BackupContents,
  passphrase: string,
  options: BackupFileOptions,
): Promise<Uint8Array> {
  const policy = options.policy ?? defaultKdfPolicy;
  const params = policy.target;
  assertBackupKdf(params, policy);
  const chunkLog = options.chunkLog ?? defaultChunkLog;
  const salt = randomBytes(saltLength);
  const report = options.onProgress;
  const key = await deriveBackupKey(options.kdf, passphrase, salt, params, (fraction) =>
    report?.({ phase: 'deriving', fraction }),
  );
  const stream = await gzip(encodePayload(contents));
  const header = encodeBackupHeader(params, salt, keyIdOf(key), chunkLog);
  const chunks = sealChunks(key, header, chunkLog, stream);
  stream.fill(0);
  report?.({ phase: 'sealing', fraction: 1 });
  const file = new Uint8Array(header.length + chunks.reduce((sum, c) => sum + c.length, 0));
  file.set(header, 0);
  let at = header.length;
  for (const chunk of chunks) {
    file.set(chunk, at);
    at += chunk.length;
  }
  return file;
}

/**
 * Reads the header and derives the key a passphrase gives for it: BackupInvalidError for a
 * damaged header or implausible parameters (before deriving), BackupUnsupportedError for a
 * newer file, BackupWrongPassphraseError when the key's id is not the header's.
 */
export async function unlockBackup(
  file: Uint8Array,
  passphrase: string,
  options: BackupFileOptions,
): Promise<{ header: BackupHeader; key: SealingKey }> {
  const header = readBackupHeader(file);
  assertBackupKdf(header.params, options.policy ?? defaultKdfPolicy);
  const key = await deriveBackupKey(
    options.kdf,
    passphrase,
    header.salt,
    header.params,
    (fraction) => options.onProgress?.({ phase: 'deriving', fraction }),
  );
  if (!bytesEqual(keyIdOf(key), header.keyId)) throw new BackupWrongPassphraseError();
  return { header, key };
}

/** Opens the chunks with an unlocked key and checks the payload (see openBackup). */
export async function openUnlockedBackup(
  file: Uint8Array,
  unlocked: { header: BackupHeader; key: SealingKey },
  options: Pick<BackupFileOptions, 'onProgress' | 'maxPayloadBytes'> = {},
): Promise<BackupContents> {
  const stream = openChunks(unlocked.key, unlocked.header, file, (done, total) =>
    options.onProgress?.({ phase: 'opening', fraction: done / total }),
  );
  const payload = await gunzip(stream, options.maxPayloadBytes ?? defaultMaxPayloadBytes);
  stream.fill(0);
  try {
    return decodePayload(payload);
  } finally {
    payload.fill(0);
  }
}

/**
 * Opens a backup file whole, or rejects: BackupWrongPassphraseError, BackupInvalidError
 * (damaged, truncated, appended to, implausible parameters: its `reason` says which),
 * BackupUnsupportedError. Nothing is returned unless every chunk authenticates and the payload
 * checks out, so a caller writes nothing from a bad file.
 * @example
 * const contents = await openBackup(file, passphrase, { kdf });
 */
export async function openBackup(
  file: Uint8Array,
  passphrase: string,
  options: BackupFileOptions,
): Promise<BackupContents> {
  return openUnlockedBackup(file, await unlockBackup(file, passphrase, options), options);
}
