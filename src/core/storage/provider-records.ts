import { associatedData, fromUtf8, open, type ProfileKey, seal, utf8 } from '../crypto';
import type { CofferDatabase, ProviderRow } from './db';
import { CorruptDataError, corruptionReason, mapStorageError } from './errors';

/**
 * Provider settings and vault links at rest (docs/crypto.md, "Records"):
 *
 *   provider row = { id, sealed: seal(profile key, UTF-8 JSON, ad("provider", id)) }
 *
 * `id` is "defaults" (the profile-wide settings) or a vault id (that vault's override and link).
 * Only the id is in the clear; the settings (credentials included) and the link (path, digests,
 * names) are sealed. The JSON's shape is checked by src/core/providers, which owns it; here a
 * record either opens and parses, or is a CorruptDataError naming it.
 */

const providerContext = (id: string) => associatedData('provider', id);

export function sealProviderRecord(
  profileKey: ProfileKey,
  id: string,
  value: unknown,
): ProviderRow {
  return { id, sealed: seal(profileKey, utf8(JSON.stringify(value)), providerContext(id)) };
}

/** Opens a provider row: its JSON, or a CorruptDataError naming it (store, id). */
export function openProviderRecord(profileKey: ProfileKey, row: ProviderRow): unknown {
  const ref = { store: 'providers', id: row.id } as const;
  let plaintext: Uint8Array;
  try {
    if (!(row.sealed instanceof Uint8Array)) throw new TypeError('not bytes');
    plaintext = open(profileKey, row.sealed, providerContext(row.id));
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

export async function readProviderRow(
  db: CofferDatabase,
  id: string,
): Promise<ProviderRow | undefined> {
  try {
    return await db.strict.providers.get(id);
  } catch (error) {
    throw mapStorageError(error, 'reading provider settings');
  }
}

export async function readProviderRows(db: CofferDatabase): Promise<ProviderRow[]> {
  try {
    return await db.strict.providers.toArray();
  } catch (error) {
    throw mapStorageError(error, 'reading provider links');
  }
}

/** Saves (replaces) one provider row, durably: a link's base must not roll back silently. */
export async function writeProviderRow(db: CofferDatabase, row: ProviderRow): Promise<void> {
  try {
    await db.strict.providers.put(row);
  } catch (error) {
    throw mapStorageError(error, 'saving provider settings');
  }
}

export async function deleteProviderRow(db: CofferDatabase, id: string): Promise<void> {
  try {
    await db.strict.providers.delete(id);
  } catch (error) {
    throw mapStorageError(error, 'deleting provider settings');
  }
}
