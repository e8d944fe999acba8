import { scryptAsync } from '@noble/hashes/scrypt.js';
import { utf8 } from './bytes';
import { InvalidPassphraseError, KdfParamsBelowFloorError } from './errors';
import { asKey, type KeyEncryptionKey, keyLength } from './keys';

/**
 * scrypt parameters as stored: N = 2^logN. Coffer uses scrypt (RFC 7914) from @noble/hashes;
 * docs/crypto.md says why, and why these numbers.
 */
export interface ScryptParams {
  readonly algorithm: 'scrypt';
  readonly logN: number;
  readonly r: number;
  readonly p: number;
}

/** What this build accepts (floor) and what it writes (target). */
export interface KdfPolicy {
  readonly floor: ScryptParams;
  readonly target: ScryptParams;
}

/** OWASP's minimum for scrypt, which is also Coffer's default: about 0.7 s and 128 MiB. */
export const scryptFloor: ScryptParams = { algorithm: 'scrypt', logN: 17, r: 8, p: 1 };

export const defaultKdfPolicy: KdfPolicy = { floor: scryptFloor, target: scryptFloor };

/**
 * Upper bounds that keep a tampered record from making us allocate gigabytes or spin for hours.
 * logN 22 with r 8 is 4 GiB of scrypt memory, already far beyond any browser tab.
 */
export const scryptCeiling = { logN: 21, r: 32, p: 16 } as const;

export const isBelowFloor = (params: ScryptParams, floor: ScryptParams): boolean =>
  params.logN < floor.logN || params.r < floor.r || params.p < floor.p;

/** True when the stored parameters cost less than the target, so the next unlock re-wraps. */
export const isBelowTarget = (params: ScryptParams, target: ScryptParams): boolean =>
  params.logN < target.logN || params.r < target.r || params.p < target.p;

export function assertAtOrAboveFloor(params: ScryptParams, floor: ScryptParams): void {
  if (isBelowFloor(params, floor)) throw new KdfParamsBelowFloorError(params, floor);
}

export const isPlausible = (params: ScryptParams): boolean =>
  Number.isInteger(params.logN) &&
  Number.isInteger(params.r) &&
  Number.isInteger(params.p) &&
  params.logN >= 1 &&
  params.r >= 1 &&
  params.p >= 1 &&
  params.logN <= scryptCeiling.logN &&
  params.r <= scryptCeiling.r &&
  params.p <= scryptCeiling.p;

/**
 * The passphrase as the KDF sees it: Unicode NFC, then UTF-8. NFC makes "é" typed as one code
 * point or as "e" + combining accent unlock the same profile on every keyboard.
 */
export function normalizePassphrase(passphrase: string): Uint8Array {
  if (typeof passphrase !== 'string') throw new InvalidPassphraseError('not-a-string');
  if (passphrase.length === 0) throw new InvalidPassphraseError('empty');
  if (passphrase.length > 1024) throw new InvalidPassphraseError('too-long');
  return utf8(passphrase.normalize('NFC'));
}

/** One key derivation: passphrase bytes (already normalized), salt, parameters. */
export interface KdfRequest {
  readonly passphrase: Uint8Array;
  readonly salt: Uint8Array;
  readonly params: ScryptParams;
}

/** Progress of a derivation, from 0 to 1. */
export type KdfProgress = (fraction: number) => void;

/**
 * Runs a derivation somewhere: in this thread (Node, tests) or in a Worker (the browser, so the
 * page stays responsive). Returns the 32-byte key-encryption key.
 */
export type KdfRunner = (request: KdfRequest, onProgress?: KdfProgress) => Promise<Uint8Array>;

/** `scrypt(P = passphrase, S = salt, N = 2^logN, r, p, dkLen = 32)`. */
export async function runScrypt(
  request: KdfRequest,
  onProgress?: KdfProgress,
): Promise<Uint8Array> {
  const { params } = request;
  if (!isPlausible(params))
    throw new RangeError(
      `implausible scrypt parameters logN=${params.logN} r=${params.r} p=${params.p}`,
    );
  return scryptAsync(request.passphrase, request.salt, {
    N: 2 ** params.logN,
    r: params.r,
    p: params.p,
    dkLen: keyLength,
    maxmem: 128 * 2 ** params.logN * params.r + 1024 * 1024,
    asyncTick: 50,
    ...(onProgress ? { onProgress } : {}),
  });
}

/** Runs scrypt in the calling thread, yielding to the event loop every 50 ms. */
export const inProcessKdf: KdfRunner = runScrypt;

export async function deriveKeyEncryptionKey(
  runner: KdfRunner,
  request: KdfRequest,
  onProgress?: KdfProgress,
): Promise<KeyEncryptionKey> {
  const key = await runner(request, onProgress);
  return asKey(key, 'kek');
}
