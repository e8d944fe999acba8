import { fromUtf8, open, type ProfileKey } from '../crypto';
import { CorruptDataError, corruptionReason, type RecordRef } from './errors';

/**
 * Opens a record sealed under the profile key whose plaintext is UTF-8 JSON (integrations,
 * runs, grants, provider settings and links): the parsed value, or a CorruptDataError naming
 * `ref`, 'malformed' when it opens but is not JSON. The plaintext is zeroed after parsing.
 */
export function openSealedJson(
  profileKey: ProfileKey,
  sealed: unknown,
  context: Uint8Array,
  ref: RecordRef,
): unknown {
  let plaintext: Uint8Array;
  try {
    if (!(sealed instanceof Uint8Array)) throw new TypeError('not bytes');
    plaintext = open(profileKey, sealed, context);
  } catch (error) {
    throw new CorruptDataError(ref, corruptionReason(error), { cause: error });
  }
  try {
    return JSON.parse(fromUtf8(plaintext)) as unknown;
  } catch (error) {
    throw new CorruptDataError(ref, 'malformed', { cause: error });
  } finally {
    plaintext.fill(0);
  }
}
