/**
 * The UI's words for core errors are chosen by code: every code has words (checked by the type
 * checker through `CoreError` and by running `errorText` on a sample of every class), and the
 * screens that say something of their own keep their wording (e2e tests quote it).
 */
import { describe, expect, it } from 'vitest';
import { type ErrorCode, errorCodes } from '../../../src/core/errors';
import {
  type CoreError,
  describeError,
  errorText,
  isCoreError,
  joinErrorText,
  passphraseChangeErrorText,
  unlockErrorText,
} from '../../../src/ui/state/error-text';
import { samples } from '../errors/samples';

/** True only when A and B are the same union. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// Compile-time: CoreError covers every code and no other, so errorText's switch is exhaustive.
const everyCodeHasAClass: Same<CoreError['code'], ErrorCode> = true;

const sample = (name: string) => samples[name]!() as CoreError;

describe('errorText', () => {
  it('the union of error classes the UI knows has exactly the codes of core', () => {
    expect(everyCodeHasAClass).toBe(true);
  });

  it('gives every code a sentence that does not leak "undefined" or a class name', () => {
    const seen = new Set<string>();
    for (const name of Object.keys(samples)) {
      const error = sample(name);
      expect(isCoreError(error)).toBe(true);
      const text = errorText(error);
      seen.add(error.code);
      expect(text, name).toMatch(/^[A-Z0-9"“].*[.!?]$/s);
      expect(text, name).not.toMatch(/undefined|Error\b/);
    }
    expect([...seen].sort()).toEqual([...errorCodes].sort());
  });

  it('says which record is damaged and why, from the error data', () => {
    expect(errorText(sample('CorruptDataError'))).toBe(
      'Change 3 fails its integrity check: it was changed, or moved here from another place.',
    );
  });

  it('describes anything else by its message', () => {
    expect(describeError(new Error('network down'))).toBe('Network down.');
    expect(describeError('text')).toBe('Something went wrong.');
    expect(describeError(sample('VaultBusyError'))).toBe(
      'This vault is open in another tab. Close it there (or leave the vault), then try again.',
    );
  });
});

describe('screens with words of their own', () => {
  it('unlock', () => {
    expect(unlockErrorText(sample('WrongPassphraseError'))).toBe(
      'That passphrase is not right. Check Caps Lock and try again.',
    );
    expect(unlockErrorText(sample('CorruptDataError'))).toBe(
      'The stored profile is damaged and cannot be opened.',
    );
    expect(unlockErrorText(sample('KeyringDamagedError'))).toBe(
      'The stored profile is damaged and cannot be opened.',
    );
    expect(unlockErrorText(sample('UnsupportedFormatError'))).toBe(
      'This profile was saved by a newer version of Coffer: reload to update.',
    );
    expect(unlockErrorText(sample('KdfParamsBelowFloorError'))).toBe(
      'The stored key settings are weaker than Coffer accepts, so the profile was not opened.',
    );
    expect(unlockErrorText(new Error('boom'))).toBe('Could not unlock: boom');
  });

  it('does not go by name', () => {
    const impostor = new Error('wrong passphrase');
    impostor.name = 'WrongPassphraseError';
    expect(unlockErrorText(impostor)).toBe('Could not unlock: wrong passphrase');
    expect(passphraseChangeErrorText(impostor)).toBe(
      'Could not change the passphrase: wrong passphrase',
    );
  });

  it('changing the passphrase', () => {
    expect(passphraseChangeErrorText(sample('WrongPassphraseError'))).toBe(
      'The current passphrase is not right.',
    );
    expect(passphraseChangeErrorText(new Error('boom'))).toBe(
      'Could not change the passphrase: boom',
    );
  });

  it('joining', () => {
    expect(joinErrorText(sample('InviteError'))).toBe(
      'This invitation was for one device and has been used already; ask for a new one.',
    );
    expect(joinErrorText(new Error('offline'))).toBe('The vault could not be added: offline.');
  });
});
