/**
 * Reading epoch records (docs/crypto.md, "Key epochs", reading rules, in their order): layout,
 * vault, signer, signature; then, for a recipient, its own slot; for a key holder, the history.
 */
import { asKey, bytesEqual, keyIdOf, toBase64url, type VaultKey } from '../crypto';
import { verifySignature } from '../device';
import { asDeviceId, asVaultId, deviceIdOf, publicKeyOfDevice, vaultIdOf } from '../ids';
import {
  EpochBadSignatureError,
  EpochChainBrokenError,
  EpochKeyMismatchError,
  EpochNotForThisDeviceError,
  EpochRecordDamagedError,
  EpochUnexpectedSignerError,
  EpochWrongVaultError,
} from './errors';
import { compareBytes, type DecodedRecord, decodeRecord, epochSignatureDomain } from './format';
import { openHistory, unwrapForDevice } from './seal';
import {
  asMembershipOperationId,
  type EpochKey,
  type EpochRecordInfo,
  type OpenEpochOptions,
  type OpenedEpoch,
  type VerifyEpochOptions,
} from './types';

interface Verified {
  readonly decoded: DecodedRecord;
  readonly info: EpochRecordInfo;
}

function verify(bytes: Uint8Array, options: VerifyEpochOptions): Verified {
  const vaultId = asVaultId(options.vaultId);
  const expectedSigner =
    options.expectedSigner === undefined ? undefined : asDeviceId(options.expectedSigner);
  const decoded = decodeRecord(bytes);
  const { fields } = decoded;
  const recordVault = vaultIdOf(fields.vaultId);
  if (recordVault !== vaultId) throw new EpochWrongVaultError(vaultId, recordVault);
  const signer = deviceIdOf(fields.signer);
  if (expectedSigner !== undefined && signer !== expectedSigner)
    throw new EpochUnexpectedSignerError(expectedSigner, signer, fields.epoch);
  if (!verifySignature(fields.signer, epochSignatureDomain, decoded.body, decoded.signature))
    throw new EpochBadSignatureError(signer, fields.epoch);
  return {
    decoded,
    info: {
      vaultId,
      epoch: fields.epoch,
      cause: asMembershipOperationId(fields.cause),
      signer,
      keyId: fields.keyId,
      previousKeyId: fields.previousKeyId,
      recipients: fields.recipients.map((slot) => deviceIdOf(slot.device)),
    },
  };
}

/** Opens the history with the epoch's own key, checking it against the record's key id. */
function previousKeyOf(verified: Verified, key: Uint8Array): VaultKey | undefined {
  const { fields } = verified.decoded;
  if (fields.epoch === 0) return undefined;
  const previous = openHistory(verified.info.vaultId, fields.epoch, key, fields.history);
  const previousKey = asKey(previous, 'vault');
  if (!bytesEqual(keyIdOf(previousKey), fields.previousKeyId))
    throw new EpochRecordDamagedError('history', fields.epoch);
  return previousKey;
}

/**
 * Checks a record without any key: its layout, its vault, its signer (if `expectedSigner` is
 * given) and its signature. Whether the signer was allowed to rotate is the membership rules'
 * question, not this one's. Rejects with EpochRecordMalformedError,
 * EpochRecordUnsupportedError, EpochWrongVaultError, EpochUnexpectedSignerError or
 * EpochBadSignatureError.
 */
export async function verifyEpochRecord(
  bytes: Uint8Array,
  options: VerifyEpochOptions,
): Promise<EpochRecordInfo> {
  return verify(bytes, options).info;
}

/**
 * Opens a record as one of its recipients: the epoch's key and the previous one. Rejects as
 * `verifyEpochRecord` does, then with EpochNotForThisDeviceError (no slot for this device: it
 * is not a member of this epoch) or EpochRecordDamagedError (a signed record whose slot or
 * history does not open, or does not match its key ids).
 */
export async function openEpochRecord(
  bytes: Uint8Array,
  options: OpenEpochOptions,
): Promise<OpenedEpoch> {
  const verified = verify(bytes, options);
  const { fields } = verified.decoded;
  const device = asDeviceId(options.device.id);
  const own = publicKeyOfDevice(device);
  // Sorted slots: a binary search would do, but 1000 comparisons at most is nothing next to
  // the signature check already done.
  const slot = fields.recipients.find((candidate) => compareBytes(candidate.device, own) === 0);
  if (!slot) throw new EpochNotForThisDeviceError(device, fields.epoch);
  const unwrapped = unwrapForDevice({
    vaultId: verified.info.vaultId,
    epoch: fields.epoch,
    device,
    deviceSecret: options.device.secretKey,
    ephemeral: slot.ephemeral,
    wrapped: slot.wrapped,
  });
  const key = asKey(unwrapped, 'vault');
  if (!bytesEqual(keyIdOf(key), fields.keyId))
    throw new EpochRecordDamagedError('wrapped-key', fields.epoch);
  return { ...verified.info, key, previousKey: previousKeyOf(verified, key) };
}

/**
 * With an epoch's key, opens the previous epoch's key from that epoch's record (undefined at
 * epoch 0). Rejects as `verifyEpochRecord` does, then with EpochKeyMismatchError (the key is
 * not this record's) or EpochRecordDamagedError.
 */
export async function openPreviousKey(
  bytes: Uint8Array,
  options: VerifyEpochOptions & { readonly key: VaultKey },
): Promise<EpochKey & { readonly previousKey: VaultKey | undefined }> {
  const verified = verify(bytes, options);
  if (!bytesEqual(keyIdOf(options.key), verified.info.keyId))
    throw new EpochKeyMismatchError(verified.info.epoch);
  return {
    epoch: verified.info.epoch,
    key: options.key,
    previousKey: previousKeyOf(verified, options.key),
  };
}

/**
 * Walks the history back from one epoch's key: the key of every earlier epoch that `records`
 * (in any order; each verified) lets it reach, newest first, starting with `latest` itself.
 * The walk stops at epoch 0, or at a key no record is for (a vault's keys from before its
 * first record: that key is still returned). Rejects with EpochChainBrokenError when the
 * record for a key is not of the epoch before the last one, or when no record is for the
 * starting key; and as `verifyEpochRecord` for any record that does not verify.
 */
export async function walkEpochHistory(
  records: readonly Uint8Array[],
  options: VerifyEpochOptions & { readonly latest: EpochKey },
): Promise<EpochKey[]> {
  const byKeyId = new Map<string, Verified>();
  for (const record of records) {
    const verified = verify(record, options);
    byKeyId.set(toBase64url(verified.info.keyId), verified);
  }
  const keys: EpochKey[] = [options.latest];
  let current = options.latest;
  for (;;) {
    const verified = byKeyId.get(toBase64url(keyIdOf(current.key)));
    if (!verified) {
      if (keys.length === 1) throw new EpochChainBrokenError('no-record-for-key', current.epoch);
      return keys;
    }
    if (verified.info.epoch !== current.epoch)
      throw new EpochChainBrokenError('epoch-out-of-step', current.epoch);
    const previousKey = previousKeyOf(verified, current.key);
    if (previousKey === undefined) return keys;
    current = { epoch: current.epoch - 1, key: previousKey };
    keys.push(current);
  }
}
