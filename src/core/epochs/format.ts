/**
 * The epoch record's canonical bytes (docs/crypto.md, "Key epochs"): no crypto here, only the
 * layout, so that writing and reading are checked against one description.
 *
 *   offset     size  field
 *   0          4     magic "CFEP" (43 46 45 50)
 *   4          1     version = 0x01
 *   5          16    vault id (the 16 bytes its text encodes)
 *   21         8     epoch: u64be, 0 to 2^53 - 1
 *   29         32    cause: the id of the membership operation that caused the rotation
 *   61         32    signer: the rotating device's Ed25519 public key
 *   93         16    key id of this epoch's key
 *   109        16    key id of the previous epoch's key; 16 zero bytes at epoch 0
 *   125        4     u32be(h): h = 0 at epoch 0, 90 otherwise
 *   129        h     history: the previous epoch's key sealed under this epoch's history key
 *   129+h      4     u32be(r): recipient count, 1 to 1000
 *   133+h      r x   recipient: device (32) || ephemeral (32) || u32be(w) || wrapped (w = 90)
 *   end - 64   64    Ed25519 signature over everything before it
 *
 * Recipients are sorted by their device's 32 bytes (unsigned, lexicographic) with no
 * duplicates, so given the same randomness a record has exactly one encoding; a reader rejects
 * any other order. The sealed parts are length-prefixed so that a later algorithm with another
 * overhead keeps the layout; this version requires exactly the lengths above.
 */
import { concat, readU32be, u32be, u64be } from '../crypto';
import { EpochRecordMalformedError, EpochRecordUnsupportedError } from './errors';

export const epochMagic = new Uint8Array([0x43, 0x46, 0x45, 0x50]);
export const epochRecordVersion = 0x01;
export const vaultIdBytes = 16;
export const causeLength = 32;
export const publicKeyLength = 32;
export const keyIdBytes = 16;
/** A 32-byte key in an envelope: 42 bytes of header, the key, a 16-byte tag. */
export const sealedKeyLength = 90;
export const signatureBytes = 64;
export const maxRecipients = 1000;
/** The signature's domain: it signs `"coffer/v1/epoch" || 0x00 || body` (device's signAs). */
export const epochSignatureDomain = 'epoch';
/** The largest epoch number: JavaScript numbers are exact up to here. */
export const maxEpoch = Number.MAX_SAFE_INTEGER;

const headerEnd = 125;
const recipientLength = publicKeyLength * 2 + 4 + sealedKeyLength;
/** Epoch 0 with one recipient: the smallest record there is. */
export const minRecordLength = headerEnd + 4 + 4 + recipientLength + signatureBytes;

export interface RecipientSlot {
  /** The device's Ed25519 public key (its id's 32 bytes). */
  readonly device: Uint8Array;
  /** The X25519 public key of the ephemeral key pair used for this device only. */
  readonly ephemeral: Uint8Array;
  /** The epoch key sealed under this device's wrap key. */
  readonly wrapped: Uint8Array;
}

export interface EpochRecordFields {
  readonly vaultId: Uint8Array;
  readonly epoch: number;
  readonly cause: Uint8Array;
  readonly signer: Uint8Array;
  readonly keyId: Uint8Array;
  readonly previousKeyId: Uint8Array;
  /** Empty at epoch 0. */
  readonly history: Uint8Array;
  /** Sorted by device, no duplicates. */
  readonly recipients: readonly RecipientSlot[];
}

export interface DecodedRecord {
  readonly fields: EpochRecordFields;
  /** What the signature covers: every byte before it. */
  readonly body: Uint8Array;
  readonly signature: Uint8Array;
}

/** Unsigned lexicographic order of byte strings: the recipients' order. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

function fixed(name: string, bytes: Uint8Array, length: number): Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    const got = bytes instanceof Uint8Array ? `${bytes.length} bytes` : typeof bytes;
    throw new TypeError(`${name} must be ${length} bytes, got ${got}`);
  }
  return bytes;
}

/** The signed body of a record (everything but the signature), checked as a reader would. */
export function encodeBody(fields: EpochRecordFields): Uint8Array {
  if (!Number.isSafeInteger(fields.epoch) || fields.epoch < 0)
    throw new RangeError(`epoch must be an integer from 0 to 2^53 - 1, got ${fields.epoch}`);
  const historyLength = fields.epoch === 0 ? 0 : sealedKeyLength;
  fixed('history', fields.history, historyLength);
  const count = fields.recipients.length;
  if (count < 1 || count > maxRecipients)
    throw new RangeError(`a record has 1 to ${maxRecipients} recipients, got ${count}`);
  const parts: Uint8Array[] = [
    epochMagic,
    new Uint8Array([epochRecordVersion]),
    fixed('vault id', fields.vaultId, vaultIdBytes),
    u64be(fields.epoch),
    fixed('cause', fields.cause, causeLength),
    fixed('signer', fields.signer, publicKeyLength),
    fixed('key id', fields.keyId, keyIdBytes),
    fixed('previous key id', fields.previousKeyId, keyIdBytes),
    u32be(historyLength),
    fields.history,
    u32be(count),
  ];
  let previous: Uint8Array | undefined;
  for (const slot of fields.recipients) {
    fixed('recipient device', slot.device, publicKeyLength);
    if (previous && compareBytes(previous, slot.device) >= 0)
      throw new RangeError('recipients must be sorted by device, without duplicates');
    previous = slot.device;
    parts.push(
      slot.device,
      fixed('ephemeral key', slot.ephemeral, publicKeyLength),
      u32be(sealedKeyLength),
      fixed('wrapped key', slot.wrapped, sealedKeyLength),
    );
  }
  return concat(...parts);
}

function readU64(bytes: Uint8Array, offset: number): number {
  const high = readU32be(bytes, offset);
  // Above 2^53 - 1 a number is no longer exact: refused rather than rounded.
  if (high > 0x1f_ffff) throw new EpochRecordMalformedError('epoch', offset);
  return high * 2 ** 32 + readU32be(bytes, offset + 4);
}

/**
 * Parses a record, checking its layout only (no signature, no keys). Throws
 * EpochRecordMalformedError or EpochRecordUnsupportedError, in the reading order of the spec.
 */
export function decodeRecord(bytes: Uint8Array): DecodedRecord {
  if (!(bytes instanceof Uint8Array)) throw new EpochRecordMalformedError('not-bytes', 0);
  if (bytes.length < 5) throw new EpochRecordMalformedError('too-short', bytes.length);
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== epochMagic[i]) throw new EpochRecordMalformedError('magic', i);
  }
  if (bytes[4] !== epochRecordVersion) throw new EpochRecordUnsupportedError(bytes[4]!);
  if (bytes.length < minRecordLength)
    throw new EpochRecordMalformedError('too-short', bytes.length);
  const take = (from: number, length: number) => bytes.slice(from, from + length);
  const epoch = readU64(bytes, 21);
  const previousKeyId = take(109, keyIdBytes);
  const historyLength = readU32be(bytes, 125);
  if (historyLength !== (epoch === 0 ? 0 : sealedKeyLength))
    throw new EpochRecordMalformedError('history-length', 125);
  if (epoch === 0 && previousKeyId.some((byte) => byte !== 0))
    throw new EpochRecordMalformedError('history-mismatch', 109);
  let at = headerEnd + 4;
  if (bytes.length < at + historyLength + 4 + signatureBytes)
    throw new EpochRecordMalformedError('too-short', bytes.length);
  const history = take(at, historyLength);
  at += historyLength;
  const count = readU32be(bytes, at);
  if (count < 1 || count > maxRecipients)
    throw new EpochRecordMalformedError('recipient-count', at);
  at += 4;
  // The length is fixed by the count: checked before reading any recipient.
  if (bytes.length !== at + count * recipientLength + signatureBytes)
    throw new EpochRecordMalformedError('length', bytes.length);
  const recipients: RecipientSlot[] = [];
  let previous: Uint8Array | undefined;
  for (let i = 0; i < count; i++) {
    const device = take(at, publicKeyLength);
    if (previous && compareBytes(previous, device) >= 0)
      throw new EpochRecordMalformedError('recipient-order', at);
    previous = device;
    const ephemeral = take(at + publicKeyLength, publicKeyLength);
    if (readU32be(bytes, at + 2 * publicKeyLength) !== sealedKeyLength)
      throw new EpochRecordMalformedError('wrapped-length', at + 2 * publicKeyLength);
    const wrapped = take(at + 2 * publicKeyLength + 4, sealedKeyLength);
    recipients.push({ device, ephemeral, wrapped });
    at += recipientLength;
  }
  return {
    fields: {
      vaultId: take(5, vaultIdBytes),
      epoch,
      cause: take(29, causeLength),
      signer: take(61, publicKeyLength),
      keyId: take(93, keyIdBytes),
      previousKeyId,
      history,
      recipients,
    },
    body: bytes.subarray(0, at),
    signature: take(at, signatureBytes),
  };
}
