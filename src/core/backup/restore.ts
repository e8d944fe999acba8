/**
 * Restoring a backup's contents into an unlocked profile: every vault as a NEW vault (a new id
 * and key, made as Session.createVault makes one, this device its founder) holding the backed-up
 * content, under a free name; optionally the profile's settings. Nothing here is overwritten.
 *
 * All or nothing: the contents were checked whole when the file was opened (openBackup), so a
 * damaged file never gets here; if a write fails part way (a full disk), the vaults made so far
 * are deleted again and the error is passed on.
 */
import type { Session, VaultSummary } from '../profile';
import { handleOf } from '../vault';
import { BackupInvalidError } from './errors';
import type { BackupProgress } from './file';
import { restoredNames } from './names';
import type { BackupContents } from './payload';

export interface RestoreOptions {
  /**
   * 'replace': the profile's settings become the backup's (a fresh profile restored from a
   * whole-profile backup). 'keep' (default): the settings here stay as they are.
   */
  readonly settings?: 'keep' | 'replace';
  readonly onProgress?: (progress: BackupProgress) => void;
}

/** What a restore made. */
export interface Restored {
  /** The new vaults, in the backup's order, with the names they got here. */
  readonly vaults: readonly VaultSummary[];
  /** Backed-up name -> name here, for the vaults whose name was taken. */
  readonly renamed: ReadonlyMap<string, string>;
  readonly settingsRestored: boolean;
}

/**
 * Adds the backup's vaults to the profile as new vaults (and its settings, with
 * `settings: 'replace'`).
 * @example
 * const contents = await openBackup(file, backupPassphrase, { kdf });
 * const { vaults } = await restoreBackup(session, contents);
 */
export async function restoreBackup(
  session: Session,
  contents: BackupContents,
  options: RestoreOptions = {},
): Promise<Restored> {
  const here = await session.listVaults();
  const names = await restoredNames(
    contents.vaults.map((vault) => vault.name),
    here.map((vault) => vault.name),
  );
  const device = await session.device();
  const made: VaultSummary[] = [];
  const renamed = new Map<string, string>();
  try {
    for (const [index, vault] of contents.vaults.entries()) {
      const name = names[index]!;
      // The naming rule comes with the content (its meta map): set here too, it would be a
      // second, concurrent write of the same key.
      const created = await session.createVault(name);
      made.push(created);
      if (name !== vault.name) renamed.set(vault.name, name);
      await session.withVault({ id: created.id }, async (opened) => {
        const result = await handleOf(opened).applyRemote([
          { update: vault.content, author: device.id },
        ]);
        // openBackup applied it once already: Yjs refusing it now is a bug, not a bad file.
        if (result.malformed > 0) throw new BackupInvalidError('payload');
      });
      options.onProgress?.({ phase: 'restoring', fraction: (index + 1) / contents.vaults.length });
    }
    const settingsRestored = options.settings === 'replace' && contents.settings !== null;
    if (settingsRestored && contents.settings) await session.saveSettings(contents.settings);
    return { vaults: made, renamed, settingsRestored };
  } catch (error) {
    for (const vault of made) {
      await session.deleteVault({ id: vault.id }).catch(() => undefined);
    }
    throw error;
  }
}
