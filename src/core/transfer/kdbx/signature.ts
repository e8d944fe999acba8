/**
 * The first bytes of a KeePass file, checked before kdbxweb sees it so that "not KeePass at
 * all", "KeePass 1.x" and "a KDBX newer than 4" each get their own words.
 *
 * Layout (little-endian): uint32 0x9AA2D903, uint32 second signature (0xB54BFB67 KDBX,
 * 0xB54BFB65 KeePass 1.x, 0xB54BFB66 a KeePass 2 pre-release), uint16 minor, uint16 major.
 */
import { KdbxError } from './errors';

const fileMagic = 0x9aa2d903;
const kdbxSignature = 0xb54bfb67;
const oldSignatures = new Set([0xb54bfb65, 0xb54bfb66]);

/**
 * The major and minor version of a KDBX file, or a KdbxError ('damaged', 'unsupported').
 * @example
 * checkSignature(bytes); // { major: 4, minor: 0 }
 */
export function checkSignature(bytes: ArrayBuffer): { major: number; minor: number } {
  if (bytes.byteLength < 12) {
    throw new KdbxError('damaged', `${bytes.byteLength} bytes is too short for a KeePass file`);
  }
  const view = new DataView(bytes);
  const second = view.getUint32(4, true);
  if (
    view.getUint32(0, true) !== fileMagic ||
    (second !== kdbxSignature && !oldSignatures.has(second))
  ) {
    throw new KdbxError('damaged', 'it does not start like a KeePass file');
  }
  if (oldSignatures.has(second)) {
    throw new KdbxError(
      'unsupported',
      'a KeePass 1.x (.kdb) file; save it as KDBX in KeePassXC first',
    );
  }
  const minor = view.getUint16(8, true);
  const major = view.getUint16(10, true);
  if (major !== 3 && major !== 4) {
    throw new KdbxError('unsupported', `KDBX version ${major}.${minor}; Coffer reads 3.1 and 4`);
  }
  return { major, minor };
}

/**
 * For KDBX 3: whether the encrypted payload after the header is a whole number of AES blocks.
 * A payload cut short fails AES-CBC's padding exactly as a wrong key does; this tells them
 * apart. Undefined when the header itself cannot be walked.
 */
export function kdbx3PayloadAligned(bytes: ArrayBuffer): boolean | undefined {
  const view = new DataView(bytes);
  let offset = 12;
  // Header fields: uint8 id, uint16 length, data; id 0 ends the header.
  while (offset + 3 <= bytes.byteLength) {
    const id = view.getUint8(offset);
    const length = view.getUint16(offset + 1, true);
    offset += 3 + length;
    if (id === 0) {
      return offset <= bytes.byteLength ? (bytes.byteLength - offset) % 16 === 0 : undefined;
    }
  }
  return undefined;
}

/**
 * Where the outer header ends (just after its end field, id 0), or undefined when the file is
 * cut before it. A header cut short makes kdbxweb read a field from the bytes it has and call
 * it "Unsupported" (a cipher id of four bytes instead of sixteen); this tells damage from a
 * real unsupported choice.
 */
export function headerEnd(bytes: ArrayBuffer, major: number): number | undefined {
  const view = new DataView(bytes);
  // KDBX 4 fields: uint8 id, uint32 length; KDBX 3: uint8 id, uint16 length.
  const sizeBytes = major >= 4 ? 4 : 2;
  let offset = 12;
  while (offset + 1 + sizeBytes <= bytes.byteLength) {
    const id = view.getUint8(offset);
    const length =
      sizeBytes === 4 ? view.getUint32(offset + 1, true) : view.getUint16(offset + 1, true);
    offset += 1 + sizeBytes + length;
    if (id === 0) return offset <= bytes.byteLength ? offset : undefined;
  }
  return undefined;
}

/**
 * For KDBX 4: whether the header's SHA-256 and HMAC (32 bytes each) follow it whole. Without
 * them kdbxweb's HMAC check fails exactly as for a wrong key.
 */
export function kdbx4HeaderSealed(bytes: ArrayBuffer): boolean {
  const end = headerEnd(bytes, 4);
  return end !== undefined && end + 64 <= bytes.byteLength;
}
