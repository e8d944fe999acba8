/**
 * The names of the catalog's readable vaults, for checking a new vault's name (createVault,
 * and staged vaults in create-filled-vault.ts). Every row is read each time; a row is opened
 * only if its sealed bytes differ from the ones its remembered name came from (the same bytes
 * under the same key and id open to the same name), so creating many vaults (Pull All) does not
 * open the whole catalog again for each. Names only, never a key; cleared when the profile locks.
 */
import { type ProfileKey, wipe } from '../crypto';
import { type CofferDatabase, CorruptDataError, openVaultRecord, readVaultRows } from '../storage';

/** Byte-for-byte equality (of sealed rows: nothing secret is compared). */
const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, i) => byte === b[i]);

export class CatalogNames {
  /** By catalog row id: the sealed bytes a name was opened from, and the name. */
  readonly #opened = new Map<string, { readonly sealed: Uint8Array; readonly name: string }>();

  /**
   * The readable vaults' names, every row read now. `stillUnlocked` throws if the profile was
   * locked while the rows were read. A row that does not open is left out, as `readCatalog`
   * leaves it out of `vaults`.
   */
  async read(
    db: CofferDatabase,
    profileKey: ProfileKey,
    stillUnlocked: () => void,
  ): Promise<string[]> {
    const rows = await readVaultRows(db);
    // The profile may have been locked while the rows were read.
    stillUnlocked();
    const names: string[] = [];
    for (const row of rows) {
      const known = this.#opened.get(row.id);
      if (known && row.sealed instanceof Uint8Array && sameBytes(known.sealed, row.sealed)) {
        names.push(known.name);
        continue;
      }
      let opened: ReturnType<typeof openVaultRecord>;
      try {
        opened = openVaultRecord(profileKey, row);
      } catch (error) {
        if (error instanceof CorruptDataError) continue;
        throw error;
      }
      wipe(opened.key);
      this.#opened.set(row.id, { sealed: row.sealed.slice(), name: opened.metadata.name });
      names.push(opened.metadata.name);
    }
    return names;
  }

  /** Forgets every remembered name (the profile locked). */
  clear(): void {
    this.#opened.clear();
  }
}
