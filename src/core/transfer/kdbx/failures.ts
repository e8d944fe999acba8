/**
 * kdbxweb's errors in Coffer's words. kdbxweb throws its own KdbxError with a `code`
 * (InvalidKey, FileCorrupt, BadSignature, InvalidVersion, Unsupported, ...), and plain errors
 * (a RangeError reading past the end, an XML parser's error) for files cut short.
 */
import { KdbxError } from './errors';
import { checkSignature, kdbx3PayloadAligned } from './signature';

/**
 * Maps whatever kdbxweb rejected with to a KdbxError. Only kdbxweb's code goes into `detail`:
 * its messages are about structure (never a value), but they are not Coffer's words.
 */
export function toKdbxError(error: unknown, bytes: ArrayBuffer): KdbxError {
  if (error instanceof KdbxError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const options = { cause: error };
  switch (code) {
    case 'InvalidKey':
      // KDBX 3 has no header HMAC: a payload cut short fails like a wrong key. Tell them apart.
      if (checkSignature(bytes).major === 3 && kdbx3PayloadAligned(bytes) === false) {
        return new KdbxError('damaged', 'the encrypted part is cut short', options);
      }
      return new KdbxError('wrong-key', undefined, options);
    case 'InvalidVersion':
    case 'Unsupported':
    case 'NotImplemented':
      // kdbxweb names what it lacks ("Error Unsupported: bad kdf"): structure, never a value.
      return new KdbxError(
        'unsupported',
        error instanceof Error ? error.message.slice(0, 120) : String(code),
        options,
      );
    case 'FileCorrupt':
    case 'BadSignature':
      return new KdbxError('damaged', String(code), options);
    default:
      return new KdbxError('damaged', 'it could not be read to the end', options);
  }
}
