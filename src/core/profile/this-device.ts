/**
 * This profile's device: its Ed25519 identity and the name other devices see, sealed in the
 * profile store and made the first time it is asked for. Ed25519 is loaded here on demand, so
 * it ships with the first vault opened rather than with the unlock screen.
 */
import type { ProfileKey } from '../crypto';
import { type CofferDatabase, readDeviceRecord, writeDeviceRecord } from '../storage';
import type { ThisDevice } from './session-types';

export async function loadThisDevice(
  db: CofferDatabase,
  key: ProfileKey,
  defaultName: string,
  now: () => number,
): Promise<ThisDevice> {
  const { deviceIdentityFromSecret, generateDeviceIdentity } = await import('../device');
  const saved = await readDeviceRecord(db, key);
  if (saved) return { ...deviceIdentityFromSecret(saved.secretKey), name: saved.name };
  const identity = generateDeviceIdentity();
  await writeDeviceRecord(db, key, {
    secretKey: identity.secretKey,
    name: defaultName,
    createdAt: now(),
  });
  return { ...identity, name: defaultName };
}

/** A device name as saved: trimmed, 1 to 100 characters (RangeError otherwise). */
export function checkDeviceName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 100)
    throw new RangeError(`a device name has 1 to 100 characters, got ${trimmed.length}`);
  return trimmed;
}

/** Saves `name` (already checked) as this device's name. */
export async function renameThisDevice(
  db: CofferDatabase,
  key: ProfileKey,
  device: ThisDevice,
  trimmed: string,
  now: () => number,
): Promise<ThisDevice> {
  await writeDeviceRecord(db, key, {
    secretKey: device.secretKey,
    name: trimmed,
    createdAt: now(),
  });
  return { ...device, name: trimmed };
}
