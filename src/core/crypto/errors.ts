/**
 * Errors of the crypto module. They carry data, never key material or plaintext.
 */

import { CofferError, CofferRangeError, CofferTypeError } from '../errors';

/** The envelope's format byte or algorithm byte is not one this version understands. */
export class UnsupportedFormatError extends CofferError {
  override readonly name = 'UnsupportedFormatError';
  override readonly code = 'unsupported-format' as const;
  constructor(
    readonly field: 'format' | 'algorithm' | 'kdf',
    readonly value: number,
  ) {
    super(`unsupported ${field} ${value}: this version of Coffer cannot read it`);
  }
}

/** The envelope is shorter than its fixed header and tag, so it cannot be an envelope. */
export class MalformedEnvelopeError extends CofferError {
  override readonly name = 'MalformedEnvelopeError';
  override readonly code = 'malformed-envelope' as const;
  constructor(
    readonly length: number,
    readonly minimum: number,
  ) {
    super(`an envelope needs at least ${minimum} bytes, this one has ${length}`);
  }
}

/**
 * The envelope names a different key than the one offered: it was sealed for another key, or
 * its key id was damaged. Raised before any decryption is attempted.
 */
export class KeyMismatchError extends CofferError {
  override readonly name = 'KeyMismatchError';
  override readonly code = 'key-mismatch' as const;
  constructor() {
    super('the envelope was sealed with a different key');
  }
}

/**
 * The key matches but the ciphertext, its header or its associated data does not authenticate:
 * the record was damaged, swapped, replayed or truncated.
 */
export class AuthenticationError extends CofferError {
  override readonly name = 'AuthenticationError';
  override readonly code = 'authentication-failed' as const;
  constructor() {
    super('the envelope failed authentication: it was modified, truncated or moved');
  }
}

/** Stored KDF parameters are below the floor this version accepts: refused, never used. */
export class KdfParamsBelowFloorError extends CofferError {
  override readonly name = 'KdfParamsBelowFloorError';
  override readonly code = 'kdf-params-below-floor' as const;
  constructor(
    readonly params: {
      readonly algorithm: string;
      readonly logN: number;
      readonly r: number;
      readonly p: number;
    },
    readonly floor: { readonly logN: number; readonly r: number; readonly p: number },
  ) {
    super(
      `the stored key derivation parameters (scrypt N=2^${params.logN}, r=${params.r}, p=${params.p}) are below the accepted floor (N=2^${floor.logN}, r=${floor.r}, p=${floor.p}); refusing to use them`,
    );
  }
}

/** The passphrase does not derive the key this profile was sealed with. Nothing was unlocked. */
export class WrongPassphraseError extends CofferError {
  override readonly name = 'WrongPassphraseError';
  override readonly code = 'wrong-passphrase' as const;
  constructor() {
    super('wrong passphrase');
  }
}

/** A passphrase that cannot be used (empty, or not a string). Says why; never echoes it. */
export class InvalidPassphraseError extends CofferError {
  override readonly name = 'InvalidPassphraseError';
  override readonly code = 'invalid-passphrase' as const;
  constructor(readonly reason: 'empty' | 'not-a-string' | 'too-long') {
    super(
      reason === 'empty'
        ? 'the passphrase is empty'
        : reason === 'too-long'
          ? 'the passphrase is longer than 1024 characters'
          : 'the passphrase must be a string',
    );
  }
}

/** The stored keyring failed its checksum or does not have the keyring's layout. */
export class KeyringDamagedError extends CofferError {
  override readonly name = 'KeyringDamagedError';
  override readonly code = 'keyring-damaged' as const;
  constructor(
    readonly reason: 'length' | 'magic' | 'checksum' | 'wrapped-key' | 'implausible-params',
  ) {
    super(`the stored keyring is damaged (${reason})`);
  }
}

/**
 * Text that is not canonical unpadded base64url (RFC 4648 section 5): the only spelling
 * `toBase64url` produces for some bytes. Says where and what kind of problem, never the text
 * (it may be a secret or a key). A RangeError, as the hand-written decoder threw before.
 */
export class InvalidBase64urlError extends CofferRangeError {
  override readonly name = 'InvalidBase64urlError';
  override readonly code = 'invalid-base64url' as const;
  constructor(
    readonly reason: 'not-a-string' | 'length' | 'padding' | 'character' | 'trailing-bits',
    /** Length of the text in characters (0 when it is not a string). */
    readonly length: number,
    /** 1-based position of the first offending character, for 'padding' and 'character'. */
    readonly position: number | undefined,
    problem: string,
  ) {
    super(`not canonical unpadded base64url: ${problem}`);
  }
}

/**
 * A key used for what its purpose does not allow (docs/crypto.md, "Key hierarchy"): sealing or
 * opening with a key that is not a sealing key (a vault key is only derived from), deriving from
 * a key that is not a root key, or branding one key for two purposes. Names the purposes, never
 * the key.
 */
export class WrongKeyPurposeError extends CofferTypeError {
  override readonly name = 'WrongKeyPurposeError';
  override readonly code = 'wrong-key-purpose' as const;
  constructor(
    readonly operation: 'seal' | 'open' | 'derive' | 'brand',
    /** The purposes the operation accepts. */
    readonly expected: readonly string[],
    /** The key's purpose (for 'derive', possibly the subkey purpose asked for); undefined for bytes never branded as a key. */
    readonly actual: string | undefined,
  ) {
    super(
      `wrong key purpose for ${operation}: ${actual === undefined ? 'bytes never made a key' : `a ${actual} key`}, where ${expected.join(' or ')} is required`,
    );
  }
}
