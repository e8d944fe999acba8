/**
 * Coffer's cryptography (docs/crypto.md is its specification).
 *
 * Contract:
 * - Passphrase (NFC, UTF-8) -> scrypt -> key-encryption key -> random profile key (the keyring)
 *   -> random per-vault keys -> per-purpose subkeys by HKDF-SHA-256 with distinct labels.
 * - Everything at rest or in transit is a sealed envelope: XChaCha20-Poly1305 with a random
 *   24-byte nonce, a key id checked before decrypting, and associated data that binds the
 *   record to its place. `open` never returns unauthenticated bytes. There is no export that
 *   takes a caller's nonce.
 * - Megabytes (a sync checkpoint's bulk) are sealed by `sealBulk`: AES-256-GCM by WebCrypto
 *   under a random key used once, which the caller seals in an envelope beside the bulk;
 *   `openBulk` never returns unauthenticated bytes either. Both are asynchronous.
 * - Keys are branded by purpose, and the brand is checked at run time too (WrongKeyPurposeError):
 *   `seal`/`open` take only sealing keys (kek, profile, storage, sync, invite); `deriveSubkey`
 *   takes only a root key (vault) and derives only storage, sync or transport keys.
 * - Errors say what happened: WrongPassphraseError, KeyMismatchError (another key's envelope),
 *   AuthenticationError (damaged or moved), UnsupportedFormatError (unknown version),
 *   KdfParamsBelowFloorError (refused, no downgrade), KeyringDamagedError.
 * - The KDF runs wherever the KdfRunner says: `inProcessKdf` (Node, tests), or
 *   `createWorkerKdfRunner` (the browser, in a Worker, with progress).
 */
export { type AssociatedField, associatedData } from './associated-data';
export {
  type BulkKey,
  bulkKeyLength,
  bulkTagLength,
  openBulk,
  type SealedBulk,
  sealBulk,
} from './bulk';
export {
  bytesEqual,
  concat,
  fromBase64url,
  fromUtf8,
  randomBytes,
  readU32be,
  toBase64url,
  u32be,
  u64be,
  utf8,
  wipe,
} from './bytes';
export {
  algorithmXChaCha20Poly1305,
  type EnvelopeHeader,
  envelopeFormat,
  envelopeOverhead,
  open,
  readEnvelopeHeader,
  seal,
} from './envelope';
export {
  AuthenticationError,
  InvalidBase64urlError,
  InvalidPassphraseError,
  KdfParamsBelowFloorError,
  KeyMismatchError,
  KeyringDamagedError,
  MalformedEnvelopeError,
  UnsupportedFormatError,
  WrongKeyPurposeError,
  WrongPassphraseError,
} from './errors';
export {
  defaultKdfPolicy,
  inProcessKdf,
  type KdfPolicy,
  type KdfProgress,
  type KdfRequest,
  type KdfRunner,
  normalizePassphrase,
  runScrypt,
  type ScryptParams,
  scryptFloor,
} from './kdf';
export {
  createKeyring,
  type KeyringOptions,
  keyringForProfileKey,
  keyringLength,
  type ParsedKeyring,
  type ProfileId,
  parseKeyring,
  rewrapKeyring,
  unlockKeyring,
} from './keyring';
export {
  asKey,
  deriveSubkey,
  generateKey,
  hkdfLabel,
  type KeyEncryptionKey,
  type KeyId,
  type KeyPurpose,
  keyIdLength,
  keyIdOf,
  type ProfileKey,
  purposeOf,
  type RootKey,
  type RootPurpose,
  type SealingKey,
  type SealingPurpose,
  type StorageKey,
  type SubkeyPurpose,
  type SymmetricKey,
  type VaultKey,
} from './keys';
export { createWorkerKdfRunner, KdfWorkerError, type WorkerLike } from './worker-kdf';
