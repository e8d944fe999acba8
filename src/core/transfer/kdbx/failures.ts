/**
 * kdbxweb's errors in Coffer's words. kdbxweb throws its own KdbxError with a `code`
 * (InvalidKey, FileCorrupt, BadSignature, InvalidVersion, Unsupported, ...), and plain errors
 * (a RangeError reading past the end, an XML parser's error) for files cut short.
 */
import { KdbxError } from './errors';
import { checkSignature, headerEnd, kdbx3PayloadAligned, kdbx4HeaderSealed } from './signature';

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
      // KDBX 4 checks the header's HMAC first: a file cut inside it fails the same way.
      if (checkSignature(bytes).major === 4 && !kdbx4HeaderSealed(bytes)) {
        return new KdbxError('damaged', 'the header is cut short', options);
      }
      return new KdbxError('wrong-key', undefined, options);
    case 'InvalidVersion':
    case 'Unsupported':
    case 'NotImplemented':
      if (headerEnd(bytes, checkSignature(bytes).major) === undefined) {
        return new KdbxError('damaged', 'the header is cut short', options);
      }
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
