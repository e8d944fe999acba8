import { concat, u32be, u64be, utf8 } from './bytes';

/** A field of associated data: bytes as they are, text as UTF-8, numbers as u64 big-endian. */
export type AssociatedField = Uint8Array | string | number;

/**
 * The canonical associated data that binds a sealed record to its place:
 *
 *   ad = "coffer/v1/" || label || 0x00 || for each field: u32be(len(field)) || field
 *
 * Length prefixes make the encoding injective, so no two different (label, fields) lists give
 * the same bytes: a record moved to another vault, kind or sequence number fails to open.
 */
export function associatedData(label: string, ...fields: AssociatedField[]): Uint8Array {
  if (!/^[a-z][a-z0-9-]*$/.test(label)) {
    throw new RangeError(
      `associated-data label must be lowercase ASCII words joined by "-", got "${label}"`,
    );
  }
  const parts: Uint8Array[] = [utf8(`coffer/v1/${label}`), new Uint8Array([0])];
  for (const field of fields) {
    const bytes =
      typeof field === 'number' ? u64be(field) : typeof field === 'string' ? utf8(field) : field;
    parts.push(u32be(bytes.length), bytes);
  }
  return concat(...parts);
}
