import { randomBytes } from './bytes';
import { AuthenticationError, MalformedEnvelopeError } from './errors';

/**
 * Bulk sealing (docs/crypto.md, "Sync envelope", version 0x03): AES-256-GCM by WebCrypto under
 * a random key that seals exactly one plaintext, with a zero IV. It is for megabytes (a vault's
 * whole state in a sync checkpoint): native AES-GCM takes a few milliseconds for 3 MB on a CPU
 * with AES instructions (about 70 in Debian's Chromium, which does not use them), where
 * XChaCha20-Poly1305 in JavaScript takes 150-200 on a page that has not run it yet. The key
 * never travels bare: the caller seals it in an ordinary envelope (XChaCha20-Poly1305, bound to
 * its context) beside the bulk, so the key is as safe as that envelope and the bulk is tied to
 * it, and a key used once makes a fixed IV safe (GCM's limits are per key).
 *
 * Asynchronous, as WebCrypto is: callers work the bulk out before whatever must happen
 * synchronously (a sync envelope's chain link).
 */
export type BulkKey = Uint8Array & { readonly __brand: 'BulkKey' };

export const bulkKeyLength = 32;
export const bulkTagLength = 16;
/** Zero: each key seals one plaintext only (see above). */
const bulkIv = new Uint8Array(12);

export interface SealedBulk {
  readonly key: BulkKey;
  /** The AES-256-GCM ciphertext, then its 16-byte tag. */
  readonly ciphertext: Uint8Array;
}

function subtleCrypto(): SubtleCrypto {
  const subtle = globalThis.crypto?.subtle;
  // Browsers give WebCrypto to secure contexts only, which Coffer needs anyway (service worker,
  // Web Locks); Node has it from version 19.
  if (!subtle) throw new Error('bulk sealing needs WebCrypto (a secure context)');
  return subtle;
}

async function aesKey(key: Uint8Array, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  return subtleCrypto().importKey('raw', key as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [usage]);
}

/** Seals `plaintext` under a new random key; the caller seals the key (see above). */
export function sealBulk(plaintext: Uint8Array): Promise<SealedBulk> {
  return sealBulkWithKey(randomBytes(bulkKeyLength) as BulkKey, plaintext);
}

/**
 * As `sealBulk`, with the caller's key: only for known-answer test vectors (a key sealing two
 * plaintexts under the zero IV breaks GCM). Not exported from the crypto module's index.
 */
export async function sealBulkWithKey(key: BulkKey, plaintext: Uint8Array): Promise<SealedBulk> {
  if (key.length !== bulkKeyLength)
    throw new TypeError(`a bulk key is ${bulkKeyLength} bytes, got ${key.length}`);
  const sealed = await subtleCrypto().encrypt(
    { name: 'AES-GCM', iv: bulkIv, tagLength: bulkTagLength * 8 },
    await aesKey(key, 'encrypt'),
    plaintext as Uint8Array<ArrayBuffer>,
  );
  return { key, ciphertext: new Uint8Array(sealed) };
}

/**
 * Opens a bulk with its key. Rejects with MalformedEnvelopeError if it is shorter than its tag,
 * AuthenticationError if it does not authenticate; never returns unauthenticated bytes.
 */
export async function openBulk(key: BulkKey, ciphertext: Uint8Array): Promise<Uint8Array> {
  if (key.length !== bulkKeyLength)
    throw new TypeError(`a bulk key is ${bulkKeyLength} bytes, got ${key.length}`);
  if (ciphertext.length < bulkTagLength)
    throw new MalformedEnvelopeError(ciphertext.length, bulkTagLength);
  const cryptoKey = await aesKey(key, 'decrypt');
  try {
    return new Uint8Array(
      await subtleCrypto().decrypt(
        { name: 'AES-GCM', iv: bulkIv, tagLength: bulkTagLength * 8 },
        cryptoKey,
        ciphertext as Uint8Array<ArrayBuffer>,
      ),
    );
  } catch {
    // WebCrypto rejects a bad tag with a bare OperationError; nothing else can fail here.
    throw new AuthenticationError();
  }
}
