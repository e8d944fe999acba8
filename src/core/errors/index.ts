/**
 * The one base of Coffer's errors, and their stable codes.
 *
 * - Every error a core module throws on purpose is a CofferError with a `code`: a kebab-case
 *   string that names what happened. Codes are part of the API: once shipped a code never
 *   changes meaning or spelling, and a new error gets a new code (docs/api.md, "Error codes").
 * - Code that decides what to do or say about an error switches on `code` (or uses
 *   `instanceof` of a class): never on `name` (minifiers and wrappers change it) and never on
 *   the message (its wording may change, and it is written for logs, not for people).
 * - `name` is the class name, set explicitly by each class; `cause` is passed through.
 * - A few errors are also a RangeError or a TypeError, as the checks they replaced threw: they
 *   extend CofferRangeError or CofferTypeError, and `instanceof CofferError` and
 *   `isCofferError` are true for them as well.
 * - Codes are plain strings, so one survives structured clone or JSON (a worker or channel
 *   message) where the class does not; no Coffer error crosses such a boundary today (the KDF
 *   worker reports failures as text, and the runner raises KdfWorkerError on this side).
 *
 * This module imports nothing: every core folder may depend on it.
 */

/**
 * Every code, in one list. Append only: a code is never renamed, reused or removed.
 * @example
 * errorCodes.includes('wrong-passphrase'); // true
 */
export const errorCodes = [
  // crypto
  'unsupported-format',
  'malformed-envelope',
  'key-mismatch',
  'authentication-failed',
  'kdf-params-below-floor',
  'wrong-passphrase',
  'invalid-passphrase',
  'keyring-damaged',
  'invalid-base64url',
  'wrong-key-purpose',
  'kdf-worker-failed',
  // ids
  'invalid-id',
  'invalid-entry-id',
  // lock
  'vault-busy',
  'lock-wait-aborted',
  'invalid-lock-request',
  // profile
  'no-profile',
  'profile-exists',
  'profile-locked',
  'vault-not-found',
  'ambiguous-vault-name',
  'vault-name-taken',
  // storage
  'corrupt-data',
  'storage-full',
  'storage-unavailable',
  'log-closed',
  // sync
  'envelope-rejected',
  'invite-failed',
  'framing-violation',
  // vault
  'invalid-name',
  'confusable-name',
  'invalid-name-style',
  'name-taken',
  'entry-not-found',
  'invalid-entry',
  'malformed-entry',
  'invalid-json',
  'value-too-large',
  'vault-closed',
  'vault-damaged',
  // references (integration request templates)
  'reference-syntax',
  'reference-placement',
  // hooks (the sandbox)
  'hook-failed',
  'hook-engine-unavailable',
  // integrations
  'integration-not-found',
  'integration-name-taken',
  'invalid-integration',
  'reference-unresolved',
  'grant-missing',
  'request-failed',
  'run-cancelled',
  // connections
  'connection-incomplete',
  'token-request-failed',
  // epochs (key epochs)
  'epoch-record-malformed',
  'epoch-record-unsupported',
  'epoch-wrong-vault',
  'epoch-unexpected-signer',
  'epoch-bad-signature',
  'epoch-not-for-device',
  'epoch-record-damaged',
  'epoch-key-mismatch',
  'epoch-chain-broken',
  // team (the membership log)
  'team-operation-invalid',
  'invalid-member-id',
  // audit (the audit log)
  'invalid-audit-input',
  'invalid-audit-record',
  // team, wired into sync
  'team-not-permitted',
  // providers (HashiCorp Vault, AWS Secrets Manager)
  'provider-settings-invalid',
  'provider-failed',
  'provider-conflict',
  'provider-link-invalid',
  // history (versions of entries, recently deleted)
  'version-not-found',
  'deleted-entry-not-found',
  'history-settings-invalid',
  // import and export (src/core/transfer)
  'import-invalid',
  'import-refused',
  'kdbx-failed',
  'export-refused',
  // encrypted backups
  'backup-invalid',
  'backup-wrong-passphrase',
  'backup-unsupported',
  // recovery kit
  'recovery-code-invalid',
  'recovery-code-wrong',
  'recovery-not-set',
  // sync (the compressed bulk of envelope version 0x04)
  'compressed-payload-malformed',
] as const;

/**
 * A stable code of a Coffer error.
 * @example
 * const code: ErrorCode = 'vault-damaged';
 */
export type ErrorCode = (typeof errorCodes)[number];

const knownCodes: ReadonlySet<string> = new Set(errorCodes);

/**
 * Marks the three bases' prototypes. `Symbol.for`, so that two copies of this module (a test
 * runner and a bundle, say) still recognise each other's errors.
 */
const brand = Symbol.for('coffer.error');

/** True for an object made by one of the three bases, with a code from the list. */
function isBranded(value: unknown): value is CofferError {
  if (!(value instanceof Error)) return false;
  const fields = value as unknown as { readonly [brand]?: unknown; readonly code?: unknown };
  return fields[brand] === true && typeof fields.code === 'string' && knownCodes.has(fields.code);
}

/**
 * `instanceof` as usual for every subclass; for the base itself, true also for the errors that
 * extend CofferRangeError or CofferTypeError (JavaScript has one prototype chain, and theirs
 * goes through RangeError or TypeError).
 */
function hasInstance(this: unknown, value: unknown): boolean {
  if (this === CofferError) return isBranded(value);
  return Function.prototype[Symbol.hasInstance].call(this, value);
}

/**
 * The base of Coffer's errors. Subclasses set `name` to their class name and `code` to their
 * stable code, and keep their own data fields.
 * @example
 * class ExampleError extends CofferError {
 *   override readonly name = 'ExampleError';
 *   override readonly code = 'vault-busy';
 * }
 * try {
 *   await session.openVault(id);
 * } catch (error) {
 *   if (error instanceof CofferError && error.code === 'vault-busy') showBusy();
 * }
 */
export abstract class CofferError extends Error {
  abstract readonly code: ErrorCode;
}

/**
 * A CofferError that is also a RangeError (a value out of the accepted range or form).
 * @example
 * error instanceof RangeError && error instanceof CofferError; // both true for InvalidBase64urlError
 */
export abstract class CofferRangeError extends RangeError {
  abstract readonly code: ErrorCode;
}

/**
 * A CofferError that is also a TypeError (a value of the wrong kind).
 * @example
 * error instanceof TypeError && error instanceof CofferError; // both true for InvalidIdError
 */
export abstract class CofferTypeError extends TypeError {
  abstract readonly code: ErrorCode;
}

for (const base of [CofferError, CofferRangeError, CofferTypeError]) {
  Object.defineProperty(base.prototype, brand, { value: true });
}
// Defined, not assigned: Function.prototype's Symbol.hasInstance is not writable, so a class
// field compiled to an assignment would throw. Subclasses inherit it and fall back to the usual
// prototype check.
Object.defineProperty(CofferError, Symbol.hasInstance, { value: hasInstance });

/**
 * True for any Coffer error (of the three bases) with a known code.
 * @example
 * if (isCofferError(error)) console.warn(error.code);
 */
export function isCofferError(error: unknown): error is CofferError {
  return isBranded(error);
}

/**
 * The error's stable code, or `undefined` for anything that is not a Coffer error.
 * @example
 * switch (errorCode(error)) {
 *   case 'wrong-passphrase': return 'That passphrase is not right.';
 *   default: return 'Something went wrong.';
 * }
 */
export function errorCode(error: unknown): ErrorCode | undefined {
  return isBranded(error) ? error.code : undefined;
}
