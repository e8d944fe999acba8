/**
 * KeePass (KDBX) files, both ways, through kdbxweb with Argon2 from @noble/hashes.
 *
 * Contract:
 * - `readKdbx(bytes, { password?, keyFile? }, { onProgress?, signal?, argon2? })` reads KDBX 3.1
 *   and 4 (AES-KDF, Argon2d, Argon2id; AES-256 or ChaCha20) into a ParsedImport. Entries Coffer
 *   wrote (custom fields `coffer.kind` and `coffer.value`) come back exactly; every other entry
 *   is a `basic-auth` connection of its fields (mapping.ts). Names are the group path under the
 *   root and the title joined with "."; the record's `from.path` is the group path with "/".
 *   The Recycle Bin, attachments and entry history are left out, each with a warning.
 * - `writeKdbx(entries, passphrase, { databaseName?, kdf?, onProgress?, signal?, argon2? })`
 *   writes KDBX 4 with KeePassXC's defaults (`DEFAULT_KDBX_KDF`: Argon2d 64 MiB, 2 lanes,
 *   3 iterations; AES-256). The exporter never hands it a write-only value.
 * - Failures: KdbxError (code `kdbx-failed`) with `reason` 'wrong-key', 'damaged',
 *   'unsupported' or 'cancelled'; a Coffer entry in the file that is not valid:
 *   ImportFormatError (code `import-invalid`) with its record. Messages never hold a password,
 *   key or value. Async functions reject, never throw synchronously.
 * - Key derivation reports phase 'deriving-key' (done of 100). It runs in a Worker where the
 *   platform has Workers (argon2-worker.ts, bundled by Vite through `new URL(…,
 *   import.meta.url)`), in this thread in Node; kdbxweb itself (XML, ciphers) runs on the
 *   calling thread. Operations run one at a time (kdbxweb's Argon2 hook is process-wide).
 */
export {
  type Argon2Request,
  type Argon2Runner,
  MAX_ARGON2_MEMORY_KIB,
  runArgon2Inline,
} from './argon2';
export { KdbxError, type KdbxFailure } from './errors';
export {
  COFFER_KIND_FIELD,
  COFFER_VALUE_FIELD,
  GROUP_SEPARATOR,
  KEEPASS_CONNECTION_TYPE,
} from './mapping';
export { type KdbxCredentialsInput, type ReadKdbxOptions, readKdbx } from './read';
export { createWorkerArgon2Runner } from './worker-argon2';
export {
  DEFAULT_KDBX_KDF,
  type KdbxKdfSettings,
  type KdbxWriteEntry,
  type WriteKdbxOptions,
  writeKdbx,
} from './write';
