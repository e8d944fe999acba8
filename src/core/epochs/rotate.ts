/**
 * Starting a new key epoch (docs/crypto.md, "Key epochs"): a fresh random vault key, sealed to
 * every device that keeps the vault and nowhere else, with the previous key sealed under it.
 */
import { asKey, concat, fromBase64url, keyIdOf, purposeOf, type VaultKey, wipe } from '../crypto';
import { signAs } from '../device';
import { asDeviceId, asVaultId, type DeviceId, publicKeyOfDevice } from '../ids';
import {
  compareBytes,
  encodeBody,
  epochSignatureDomain,
  keyIdBytes,
  maxEpoch,
  maxRecipients,
  type RecipientSlot,
} from './format';
import { deviceX25519PublicKey, nonceBytes, sealHistory, wrapForDevice } from './seal';
import {
  asMembershipOperationId,
  type RandomSource,
  type RotatedEpoch,
  type RotateEpochOptions,
  systemRandom,
} from './types';

/** `length` bytes from the source, copied, so a source that reuses its buffer cannot alias. */
function draw(random: RandomSource, length: number): Uint8Array {
  const bytes = random(length);
  if (!(bytes instanceof Uint8Array) || bytes.length !== length)
    throw new TypeError(`the random source must return ${length} bytes`);
  return bytes.slice();
}

interface Recipient {
  readonly id: DeviceId;
  readonly publicKey: Uint8Array;
}

/**
 * Checks the device list's ids and puts it in the record's order (by the devices' bytes). The
 * keys themselves are checked as each is sealed to (deviceX25519PublicKey): that costs a point
 * decompression each, which belongs in the slices between yields, not before the first.
 */
function recipientsOf(devices: readonly DeviceId[]): Recipient[] {
  if (!Array.isArray(devices) || devices.length < 1 || devices.length > maxRecipients)
    throw new RangeError(`a rotation needs 1 to ${maxRecipients} devices`);
  const recipients = devices.map((device) => {
    const id = asDeviceId(device);
    return { id, publicKey: publicKeyOfDevice(id) };
  });
  recipients.sort((a, b) => compareBytes(a.publicKey, b.publicKey));
  for (let i = 1; i < recipients.length; i++) {
    if (compareBytes(recipients[i - 1]!.publicKey, recipients[i]!.publicKey) === 0)
      throw new RangeError(`device ${recipients[i]!.id} is listed twice`);
  }
  return recipients;
}

function checkPrevious(previous: RotateEpochOptions['previous']): number {
  if (previous === undefined) return 0;
  if (!Number.isSafeInteger(previous.epoch) || previous.epoch < 0 || previous.epoch >= maxEpoch)
    throw new RangeError(`the previous epoch must be an integer from 0 to 2^53 - 2`);
  if (purposeOf(previous.key) !== 'vault')
    throw new TypeError('the previous key must be a vault key');
  return previous.epoch + 1;
}

/**
 * Makes the next epoch: a new random vault key and its signed record. Randomness is drawn in
 * a fixed order (the key; the history's nonce; then per recipient, in the record's order, the
 * ephemeral secret and the nonce), which is what makes the test vectors reproducible.
 * Rejects (never throws synchronously) a bad vault id, device id, cause or previous epoch.
 * @example
 * const { record, key } = await rotateEpoch({
 *   vaultId, previous: { epoch: 3, key: oldKey }, cause, devices: remaining, signer: thisDevice,
 * });
 */
export async function rotateEpoch(options: RotateEpochOptions): Promise<RotatedEpoch> {
  const vaultId = asVaultId(options.vaultId);
  const cause = asMembershipOperationId(options.cause);
  const epoch = checkPrevious(options.previous);
  const recipients = recipientsOf(options.devices);
  const random = options.random ?? systemRandom;
  const perSlice = options.recipientsPerSlice ?? 1;
  if (!Number.isInteger(perSlice) || perSlice < 1)
    throw new RangeError(`recipientsPerSlice must be a positive integer, got ${perSlice}`);

  const key: VaultKey = asKey(draw(random, 32), 'vault');
  const history =
    options.previous === undefined
      ? new Uint8Array(0)
      : sealHistory(vaultId, epoch, key, options.previous.key, draw(random, nonceBytes));

  const slots: RecipientSlot[] = [];
  for (const [index, recipient] of recipients.entries()) {
    if (options.yieldToEventLoop && index > 0 && index % perSlice === 0)
      await options.yieldToEventLoop();
    const ephemeralSecret = draw(random, 32);
    const { ephemeral, wrapped } = wrapForDevice({
      vaultId,
      epoch,
      device: recipient.id,
      deviceX25519: deviceX25519PublicKey(recipient.publicKey),
      key,
      ephemeralSecret,
      nonce: draw(random, nonceBytes),
    });
    // The ephemeral secret opens this slot: it must not outlive it.
    wipe(ephemeralSecret);
    slots.push({ device: recipient.publicKey, ephemeral, wrapped });
  }

  // Signing costs about as much as one recipient: a slice of its own.
  if (options.yieldToEventLoop) await options.yieldToEventLoop();
  const body = encodeBody({
    vaultId: fromBase64url(vaultId),
    epoch,
    cause,
    signer: options.signer.publicKey,
    keyId: keyIdOf(key),
    previousKeyId:
      options.previous === undefined ? new Uint8Array(keyIdBytes) : keyIdOf(options.previous.key),
    history,
    recipients: slots,
  });
  const signature = signAs(options.signer, epochSignatureDomain, body);
  return { epoch, record: concat(body, signature), key };
}
