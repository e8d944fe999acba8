import { associatedData, type ProfileKey, seal, utf8 } from '../crypto';
import type { CofferDatabase, ProviderRow } from './db';
import { mapStorageError } from './errors';
import { openSealedJson } from './sealed-json';

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
  return openSealedJson(profileKey, row.sealed, providerContext(row.id), {
    store: 'providers',
    id: row.id,
  });
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
