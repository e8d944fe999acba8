/**
 * The backup file's bytes (docs/crypto.md, "Backups"): a header, then the compressed payload cut
 * into fixed-size chunks, each a sealed envelope.
 *
 *   offset  size  field
 *   0       4     magic       = "CFBK"
 *   4       1     version     = 0x01
 *   5       1     kdf         = 0x01 (scrypt)
 *   6       1     logN        (N = 2^logN)
 *   7       1     r
 *   8       1     p
 *   9       32    salt
 *   41      16    key id      = keyIdOf(payload key)
 *   57      1     chunkLog    (chunk size = 2^chunkLog bytes of plaintext; 6..24)
 *   58      1     compression = 0x01 (gzip, RFC 1952)
 *   59      32    checksum    = SHA-256(bytes 0..59)
 *   91      ...   chunk 0 || chunk 1 || ... || chunk n-1
 *
 *   chunk i = seal(payload key, stream[i*size .. (i+1)*size], ad("backup-chunk", header, i, last))
 *
 * where header is bytes 0..91 and last is 1 for chunk n-1, else 0. Every chunk but the last
 * holds exactly `size` bytes; the last holds 1..size (0 only when it is the only one). So
 * dropping chunks at the end, reordering them or appending anything fails to open.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import {
  associatedData,
  bytesEqual,
  concat,
  envelopeOverhead,
  type KeyId,
  keyIdLength,
  open,
  type ScryptParams,
  type SealingKey,
  seal,
} from '../crypto';
import { BackupInvalidError, BackupUnsupportedError } from './errors';

export const backupMagic = new Uint8Array([0x43, 0x46, 0x42, 0x4b]);
export const backupVersion = 0x01;
export const kdfScrypt = 0x01;
export const compressionGzip = 0x01;
export const saltLength = 32;
export const checksumOffset = 59;
export const backupHeaderLength = checksumOffset + 32;
export const minChunkLog = 6;
export const maxChunkLog = 24;
/** What this build writes: 64 KiB chunks. */
export const defaultChunkLog = 16;

/** A backup's header, parsed and checked. */
export interface BackupHeader {
  readonly params: ScryptParams;
  readonly salt: Uint8Array;
  readonly keyId: KeyId;
  readonly chunkLog: number;
  /** Bytes 0..91, bound into every chunk's associated data. */
  readonly bytes: Uint8Array;
}

/** The header for these values, checksum included. */
export function encodeBackupHeader(
  params: ScryptParams,
  salt: Uint8Array,
  keyId: KeyId,
  chunkLog: number,
): Uint8Array {
  if (salt.length !== saltLength) throw new TypeError(`salt must be ${saltLength} bytes`);
  if (!Number.isInteger(chunkLog) || chunkLog < minChunkLog || chunkLog > maxChunkLog)
    throw new RangeError(`chunkLog must be ${minChunkLog}..${maxChunkLog}, got ${chunkLog}`);
  const body = concat(
    backupMagic,
    new Uint8Array([backupVersion, kdfScrypt, params.logN, params.r, params.p]),
    salt,
    keyId,
    new Uint8Array([chunkLog, compressionGzip]),
  );
  return concat(body, sha256(body));
}

/**
 * Reads and checks the header, before any key is derived: the magic (else 'magic'), the
 * version (BackupUnsupportedError for a newer one), the checksum (so a damaged header is never
 * taken for a wrong passphrase), the KDF id, the compression and the chunk size. The KDF
 * parameters are checked by the caller (kdf.ts), which knows its policy.
 */
export function readBackupHeader(file: Uint8Array): BackupHeader {
  if (!(file instanceof Uint8Array))
    throw new TypeError(`a backup must be a Uint8Array, got ${typeof file}`);
  if (file.length < backupMagic.length) throw new BackupInvalidError('length');
  if (!bytesEqual(file.subarray(0, 4), backupMagic)) throw new BackupInvalidError('magic');
  if (file.length < 5) throw new BackupInvalidError('length');
  if (file[4] !== backupVersion) throw new BackupUnsupportedError('version', file[4]!);
  if (file.length < backupHeaderLength + envelopeOverhead) throw new BackupInvalidError('length');
  const body = file.subarray(0, checksumOffset);
  if (!bytesEqual(sha256(body), file.subarray(checksumOffset, backupHeaderLength)))
    throw new BackupInvalidError('header-checksum');
  if (file[5] !== kdfScrypt) throw new BackupUnsupportedError('kdf', file[5]!);
  if (file[58] !== compressionGzip) throw new BackupUnsupportedError('compression', file[58]!);
  const chunkLog = file[57]!;
  if (chunkLog < minChunkLog || chunkLog > maxChunkLog) throw new BackupInvalidError('chunk-size');
  return {
    params: { algorithm: 'scrypt', logN: file[6]!, r: file[7]!, p: file[8]! },
    salt: file.slice(9, 41),
    keyId: file.slice(41, 41 + keyIdLength) as KeyId,
    chunkLog,
    bytes: file.slice(0, backupHeaderLength),
  };
}

const chunkContext = (header: Uint8Array, index: number, last: boolean) =>
  associatedData('backup-chunk', header, index, last ? 1 : 0);

/**
 * Cuts `stream` into chunks of 2^chunkLog bytes and seals each with its index and last flag.
 * `sealChunk` is `seal` (the vector script passes one with fixed nonces).
 */
export function sealChunks(
  key: SealingKey,
  header: Uint8Array,
  chunkLog: number,
  stream: Uint8Array,
  sealChunk: typeof seal = seal,
): Uint8Array[] {
  const size = 2 ** chunkLog;
  const count = Math.max(1, Math.ceil(stream.length / size));
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const part = stream.subarray(i * size, Math.min(stream.length, (i + 1) * size));
    chunks.push(sealChunk(key, part, chunkContext(header, i, i === count - 1)));
  }
  return chunks;
}

/**
 * Opens every chunk after the header and joins them: BackupInvalidError('length') when the
 * bytes cannot be cut into chunks as the writer cuts them, ('chunk', i) when chunk i does not
 * authenticate. Never returns part of a stream. `onChunk` reports progress.
 */
export function openChunks(
  key: SealingKey,
  header: BackupHeader,
  file: Uint8Array,
  onChunk?: (done: number, total: number) => void,
): Uint8Array {
  const body = file.subarray(backupHeaderLength);
  const sealedSize = 2 ** header.chunkLog + envelopeOverhead;
  const count = Math.ceil(body.length / sealedSize);
  const lastLength = body.length - (count - 1) * sealedSize;
  if (count === 0 || lastLength < envelopeOverhead) throw new BackupInvalidError('length');
  if (count > 1 && lastLength === envelopeOverhead) throw new BackupInvalidError('length');
  const parts: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const sealed = body.subarray(i * sealedSize, Math.min(body.length, (i + 1) * sealedSize));
    try {
      parts.push(open(key, sealed, chunkContext(header.bytes, i, i === count - 1)));
    } catch (error) {
      throw new BackupInvalidError('chunk', i, { cause: error });
    }
    onChunk?.(i + 1, count);
  }
  return join(parts);
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
