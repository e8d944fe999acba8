import { sha256 } from '@noble/hashes/sha2.js';
import {
  AuthenticationError,
  associatedData,
  type BulkKey,
  bulkKeyLength,
  bulkTagLength,
  concat,
  fromBase64url,
  KeyMismatchError,
  keyIdLength,
  open,
  readU32be,
  type SymmetricKey,
  seal,
  toBase64url,
  u64be,
} from '../crypto';
import { type DeviceIdentity, signAs, signatureLength, verifySignature } from '../device';
import { type DeviceId, deviceIdOf } from '../ids';
import { envelopePayload, openBulkPayload, type SyncBulk } from './bulk-payload';
import { EnvelopeRejectedError } from './errors';

/**
 * The sync envelope: the only thing peers exchange about a vault (docs/sync.md, "Envelope").
 *
 *   offset  size  field
 *   0       4     magic "CFSY"
 *   4       1     version: 0x02 sealed payload, 0x03 sealed bulk key and bulk, 0x04 the same
 *                 with the bulk's payload compressed
 *   5       1     kind: 0x01 update, 0x02 checkpoint
 *   6       16    vault id (its 16 bytes)
 *   22      32    author: the Ed25519 public key of the device that wrote it
 *   54      8     seq: u64be, increasing per author and vault (a name, never a permission)
 *   62      32    prev: the id of the author's previous envelope in its chain; zeros for the first
 *   then, in version 0x02:
 *   94      n     sealed = seal(sync key, payload, context("sync", vault id, author, seq, kind, prev))
 *   and in version 0x03 (docs/crypto.md, "Sync envelope"):
 *   94      90    sealed = seal(sync key, bulk key, context("sync-bulk", ...the same fields))
 *   184     m     bulk = AES-256-GCM(bulk key, zero IV, payload), its tag last
 *   and in version 0x04, the same as 0x03 with the label "sync-bulk-deflate" and
 *   184     m     bulk = AES-256-GCM(bulk key, zero IV, deflated payload: bulk-payload.ts)
 *   last    64    signature = Ed25519(author, "coffer/v1/sync-envelope" || 0x00 || id)
 *
 *   id      = SHA-256(everything before the signature)   (what the signature signs)
 *   payload = u32be(len(knowledge)) || knowledge || yjs update
 *
 * Version 0x03 is for megabytes (a vault's checkpoint): native AES-GCM opens them several times
 * faster than XChaCha20-Poly1305 in JavaScript. Version 0x04, what Coffer writes, compresses the
 * payload first: a vault's state deflates to a fifth, and every device moves it. The bulk is
 * sealed before the envelope (it is asynchronous, `sealBulkPayload`), so the envelope itself,
 * with its place in the chain, is still made synchronously.
 *
 * `prev` makes each author's envelopes a hash chain. A removal names the last envelope of the
 * removed device that the remover accepted; from then on only that envelope and its ancestors
 * are accepted from it (docs/sync.md, "Removing a device"), whatever its seq or clock says.
 *
 * `knowledge` is the author's Yjs state vector just before the change (empty in a checkpoint,
 * whose update is the author's whole state and so says what it knew). Receivers use it to tell
 * edits made apart from edits made in sight of each other.
 */
export type EnvelopeKind = 'update' | 'checkpoint';

export const syncEnvelopeMagic = new Uint8Array([0x43, 0x46, 0x53, 0x59]);
export const syncEnvelopeVersion = 0x02;
/** The version whose payload is a bulk beside its sealed key (docs/crypto.md, "Sync envelope"). */
export const syncBulkEnvelopeVersion = 0x03;
/** The version whose bulk holds the payload deflated (bulk-payload.ts): what Coffer writes. */
export const syncDeflatedBulkEnvelopeVersion = 0x04;
const bulkVersions: ReadonlySet<number> = new Set([
  syncBulkEnvelopeVersion,
  syncDeflatedBulkEnvelopeVersion,
]);
/** Payloads from this size are worth a bulk (`sealBulkPayload`); below it the seal is quicker. */
export const bulkPayloadFrom = 64 * 1024;
const kindCodes: Record<EnvelopeKind, number> = { update: 0x01, checkpoint: 0x02 };
const headerLength = 94;
/** Where the key id sits in the sealed part (docs/crypto.md, "Envelope": format, algorithm, key id). */
const sealedKeyIdAt = 2;
/** Bytes of an envelope id and of the prev field. */
export const envelopeIdLength = 32;
/** The prev of the first envelope of a chain. */
export const chainStart: Uint8Array = new Uint8Array(envelopeIdLength);
/** Header, the smallest sealed envelope (58 bytes), and the signature. */
export const minSyncEnvelopeLength = headerLength + 58 + signatureLength;
/** A bulk envelope's sealed part: the bulk key in an envelope (58 bytes of overhead). */
const sealedBulkKeyLength = 58 + bulkKeyLength;
/** Header, sealed bulk key, the tag of an empty bulk, and the signature. */
export const minSyncBulkEnvelopeLength =
  headerLength + sealedBulkKeyLength + bulkTagLength + signatureLength;
const signatureDomain = 'sync-envelope';

export interface EnvelopeHeader {
  /** 0x02, or 0x03 or 0x04 for a bulk envelope. */
  readonly version: number;
  readonly kind: EnvelopeKind;
  readonly vaultId: string;
  readonly author: DeviceId;
  readonly authorKey: Uint8Array;
  readonly seq: number;
  /** The id of the author's previous envelope in its chain; all zeros for the first. */
  readonly prev: Uint8Array;
}

export interface OpenedEnvelope extends EnvelopeHeader {
  /** This envelope's id: the SHA-256 of its signed body, which its successor names as prev. */
  readonly id: Uint8Array;
  /** The author's state vector before the change; empty for a checkpoint. */
  readonly knowledge: Uint8Array;
  readonly update: Uint8Array;
}

const contextLabels: Readonly<Record<number, string>> = {
  [syncEnvelopeVersion]: 'sync',
  [syncBulkEnvelopeVersion]: 'sync-bulk',
  [syncDeflatedBulkEnvelopeVersion]: 'sync-bulk-deflate',
};

const contextOf = (header: EnvelopeHeader) =>
  associatedData(
    contextLabels[header.version]!,
    header.vaultId,
    header.author,
    header.seq,
    kindCodes[header.kind],
    header.prev,
  );

interface SealEnvelopeFields {
  readonly kind: EnvelopeKind;
  readonly vaultId: string;
  readonly author: DeviceIdentity;
  readonly seq: number;
  readonly syncKey: SymmetricKey<'sync'>;
  /** The id of the author's previous envelope (`SealedEnvelopeBytes.id`); zeros if none. */
  readonly prev?: Uint8Array;
  /**
   * Only for known-answer vectors: seals the payload (or the bulk key) in place of `seal`
   * (which picks a random nonce), e.g. with crypto/envelope.ts's `sealWithNonce`, which the
   * crypto module does not export.
   */
  readonly sealPayload?: (
    key: SymmetricKey<'sync'>,
    payload: Uint8Array,
    context: Uint8Array,
  ) => Uint8Array;
}

/**
 * What to seal: the update (and the author's knowledge before it), or a bulk sealed from them
 * beforehand (`sealBulkPayload`), which makes a version 0x04 envelope (0x03 if not deflated).
 */
export type SealEnvelopeInput = SealEnvelopeFields &
  (
    | { readonly update: Uint8Array; readonly knowledge?: Uint8Array; readonly bulk?: undefined }
    | { readonly bulk: SyncBulk; readonly update?: undefined; readonly knowledge?: undefined }
  );

export function sealEnvelope(input: SealEnvelopeInput): Uint8Array {
  return sealEnvelopeWithId(input).bytes;
}

/** Seals an envelope and gives its id too (what the author's next envelope names as prev). */
export function sealEnvelopeWithId(input: SealEnvelopeInput): {
  bytes: Uint8Array;
  id: Uint8Array;
} {
  const prev = input.prev ?? chainStart;
  if (!(prev instanceof Uint8Array) || prev.length !== envelopeIdLength)
    throw new TypeError(`prev is a ${envelopeIdLength}-byte envelope id, got ${shapeOf(prev)}`);
  const vaultIdBytes = fromBase64url(input.vaultId);
  if (vaultIdBytes.length !== 16)
    throw new TypeError(`a vault id is 16 bytes, got ${vaultIdBytes.length}`);
  const bulk = input.bulk;
  const header: EnvelopeHeader = {
    version: bulk
      ? bulk.deflated
        ? syncDeflatedBulkEnvelopeVersion
        : syncBulkEnvelopeVersion
      : syncEnvelopeVersion,
    kind: input.kind,
    vaultId: input.vaultId,
    author: input.author.id,
    authorKey: input.author.publicKey,
    seq: input.seq,
    prev,
  };
  const sealPart = input.sealPayload ?? seal;
  const sealed = bulk
    ? sealPart(input.syncKey, bulk.key, contextOf(header))
    : sealPart(
        input.syncKey,
        envelopePayload(input.knowledge ?? new Uint8Array(0), input.update),
        contextOf(header),
      );
  const body = concat(
    syncEnvelopeMagic,
    new Uint8Array([header.version, kindCodes[input.kind]]),
    vaultIdBytes,
    input.author.publicKey,
    u64be(input.seq),
    prev,
    sealed,
    bulk ? bulk.ciphertext : new Uint8Array(0),
  );
  const id = sha256(body);
  return { bytes: concat(body, signAs(input.author, signatureDomain, id)), id };
}

const shapeOf = (value: unknown) =>
  value instanceof Uint8Array ? `${value.length} bytes` : typeof value;

/**
 * Reads an envelope's header without any key, checking only its shape. Rejects with
 * EnvelopeRejectedError ('malformed' or 'unsupported').
 */
export function readEnvelopeHeader(envelope: unknown): EnvelopeHeader {
  if (!(envelope instanceof Uint8Array) || envelope.length < 6)
    throw new EnvelopeRejectedError('malformed');
  for (let i = 0; i < 4; i++)
    if (envelope[i] !== syncEnvelopeMagic[i]) throw new EnvelopeRejectedError('malformed');
  const version = envelope[4]!;
  if (version !== syncEnvelopeVersion && !bulkVersions.has(version))
    throw new EnvelopeRejectedError('unsupported');
  const kind =
    envelope[5] === kindCodes.update
      ? 'update'
      : envelope[5] === kindCodes.checkpoint
        ? 'checkpoint'
        : undefined;
  if (!kind) throw new EnvelopeRejectedError('unsupported');
  const minimum = bulkVersions.has(version) ? minSyncBulkEnvelopeLength : minSyncEnvelopeLength;
  if (envelope.length < minimum) throw new EnvelopeRejectedError('malformed');
  const view = new DataView(envelope.buffer, envelope.byteOffset, envelope.byteLength);
  const seq = Number(view.getBigUint64(54, false));
  if (!Number.isSafeInteger(seq) || seq < 1) throw new EnvelopeRejectedError('malformed');
  const authorKey = envelope.slice(22, 54);
  return {
    version,
    kind,
    vaultId: toBase64url(envelope.subarray(6, 22)),
    author: deviceIdOf(authorKey),
    authorKey,
    seq,
    prev: envelope.slice(62, headerLength),
  };
}

export type AuthorStatus = 'allowed' | 'unknown' | 'revoked';

/**
 * What the device list and the removed author's chain say of one envelope: 'allowed', or
 * refused ('unknown', 'revoked'), or 'unchecked': its author was removed and whether this
 * envelope is one it wrote before (an ancestor of its last accepted one) cannot be told yet.
 */
export type AuthorCheck = AuthorStatus | 'unchecked';

/** What `authorStatus` is told of an envelope, before its signature is checked. */
export interface EnvelopeToCheck {
  readonly seq: number;
  readonly kind: EnvelopeKind;
  /** SHA-256 of the signed body. */
  readonly id: Uint8Array;
  readonly prev: Uint8Array;
}

export interface OpenEnvelopeOptions {
  readonly vaultId: string;
  /**
   * The key to open the sealed part with, or a lookup by the key id its seal names (a vault
   * whose key changed has one sync key per epoch); a lookup that finds none rejects with
   * 'unknown-key'.
   */
  readonly syncKey:
    | SymmetricKey<'sync'>
    | ((keyId: Uint8Array) => SymmetricKey<'sync'> | undefined);
  /**
   * Whether the vault's device list (and, for a removed author, its chain) lets this author's
   * envelope in. Told the envelope's id and prev, never its seq alone: revocation does not rest
   * on anything the author chooses.
   */
  readonly authorStatus: (author: DeviceId, envelope: EnvelopeToCheck) => AuthorCheck;
  /** The body's SHA-256 if already worked out (`envelopeBodyDigest`); computed here otherwise. */
  readonly bodyDigest?: Uint8Array | undefined;
}

/**
 * The SHA-256 of an envelope's signed body, by WebCrypto where there is one: native hashing
 * takes a few milliseconds for a 2.7 MB checkpoint, JavaScript about a hundred. Undefined for
 * bytes too short to carry a signature (openEnvelope rejects those on its own).
 */
export async function envelopeBodyDigest(envelope: Uint8Array): Promise<Uint8Array | undefined> {
  if (envelope.length <= signatureLength) return undefined;
  const body = envelope.subarray(0, envelope.length - signatureLength);
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return sha256(body);
  return new Uint8Array(await subtle.digest('SHA-256', body as Uint8Array<ArrayBuffer>));
}

// The signature covers the body's SHA-256 rather than the body: Ed25519 hashes its message
// twice with SHA-512 to sign and once to verify, which in JavaScript costs a quarter of a second
// for a 2.7 MB checkpoint; SHA-256 once is a fraction of that, and as binding.

/**
 * Opens an envelope. A reader MUST, in this order: check the shape and version; check the
 * vault id; check the author against the device list (and a removed author's envelope against
 * its chain); verify the signature; open the sealed part (key id, then AEAD with the context)
 * and, in a bulk envelope, the bulk with the key it held. Any failure rejects with
 * EnvelopeRejectedError and gives nothing: no unauthenticated byte is ever handed on.
 * Everything up to the bulk happens before the first await, so `authorStatus` is asked at once.
 */
export async function openEnvelope(
  envelope: unknown,
  options: OpenEnvelopeOptions,
): Promise<OpenedEnvelope> {
  const { header, digest, sealed, key } = checkEnvelope(envelope, options);
  const detail = { author: header.author, seq: header.seq };
  const opened = (() => {
    try {
      return open(key, sealed, contextOf(header));
    } catch (error) {
      throw rejectionOf(error, detail);
    }
  })();
  let payload = opened;
  if (bulkVersions.has(header.version)) {
    // The sealed part is read as exactly one sealed key (sealedBulkKeyLength): what opens is
    // a key's 32 bytes.
    const bytes = envelope as Uint8Array;
    const bulk = bytes.subarray(headerLength + sealedBulkKeyLength, bytes.length - signatureLength);
    try {
      payload = await openBulkPayload(
        opened as BulkKey,
        bulk,
        header.version === syncDeflatedBulkEnvelopeVersion,
      );
    } catch (error) {
      throw rejectionOf(error, detail);
    }
  }
  if (payload.length < 4) throw new EnvelopeRejectedError('not-an-update', detail);
  const knowledgeLength = readU32be(payload, 0);
  if (4 + knowledgeLength > payload.length)
    throw new EnvelopeRejectedError('not-an-update', detail);
  return {
    ...header,
    id: digest,
    knowledge: payload.slice(4, 4 + knowledgeLength),
    // A view, not a copy: the payload is this call's own fresh plaintext, and copying a
    // checkpoint's megabytes cost 15 ms of a first sync (a Chromium profile).
    update: payload.subarray(4 + knowledgeLength),
  };
}

/** The checks before decryption, and the sealed part with the key to open it. */
function checkEnvelope(
  envelope: unknown,
  options: OpenEnvelopeOptions,
): { header: EnvelopeHeader; digest: Uint8Array; sealed: Uint8Array; key: SymmetricKey<'sync'> } {
  const header = readEnvelopeHeader(envelope);
  const bytes = envelope as Uint8Array;
  const detail = { author: header.author, seq: header.seq };
  if (header.vaultId !== options.vaultId) throw new EnvelopeRejectedError('wrong-vault', detail);
  const bodyEnd = bytes.length - signatureLength;
  const body = bytes.subarray(0, bodyEnd);
  const digest = options.bodyDigest ?? sha256(body);
  const status = options.authorStatus(header.author, {
    seq: header.seq,
    kind: header.kind,
    id: digest,
    prev: header.prev,
  });
  if (status === 'unknown') throw new EnvelopeRejectedError('unknown-device', detail);
  if (status === 'revoked') throw new EnvelopeRejectedError('revoked-device', detail);
  if (status === 'unchecked') throw new EnvelopeRejectedError('revoked-unchecked', detail);
  if (!verifySignature(header.authorKey, signatureDomain, digest, bytes.subarray(bodyEnd)))
    throw new EnvelopeRejectedError('bad-signature', detail);
  const sealed = bulkVersions.has(header.version)
    ? body.subarray(headerLength, headerLength + sealedBulkKeyLength)
    : body.subarray(headerLength);
  const key =
    typeof options.syncKey === 'function'
      ? options.syncKey(sealed.subarray(sealedKeyIdAt, sealedKeyIdAt + keyIdLength))
      : options.syncKey;
  if (!key) throw new EnvelopeRejectedError('unknown-key', detail);
  return { header, digest, sealed, key };
}

function rejectionOf(
  error: unknown,
  detail: { author: DeviceId; seq: number },
): EnvelopeRejectedError {
  if (error instanceof KeyMismatchError)
    return new EnvelopeRejectedError('key-mismatch', detail, { cause: error });
  if (error instanceof AuthenticationError)
    return new EnvelopeRejectedError('authentication', detail, { cause: error });
  return new EnvelopeRejectedError('malformed', detail, { cause: error });
}
