/** A profile with content of every kind, and ways to read a vault's content maps whole. */
import * as Y from 'yjs';
import type { KdfRunner } from '../../../src/core/crypto';
import { inProcessKdf } from '../../../src/core/crypto';
import type { Session } from '../../../src/core/profile';
import { handleOf, type Vault } from '../../../src/core/vault';
import { CONTENT_MAPS } from '../../../src/core/vault/entry-doc';
import { fastPolicy } from '../../support/coffer';

export const canaries = {
  item: 'CANARY-item-7f3a9c',
  secret: 'CANARY-secret-51be02',
  writeOnly: 'CANARY-writeonly-c0ffee',
  connection: 'CANARY-conn-token-9911',
  history: 'CANARY-history-old-value-4242',
  vaultName: 'canary-vault-8e8e',
  entryName: 'CANARY_ENTRY_NAME_66',
  setting: 'wss://canary-relay-31337.example',
} as const;

export const backupPassphrase = 'a long backup passphrase, not the profile one';

/** Counts derivations, so a test can show a file was refused before any. */
export function countingKdf(): { kdf: KdfRunner; calls: () => number } {
  let calls = 0;
  return {
    kdf: (request, onProgress) => {
      calls++;
      return inProcessKdf(request, onProgress);
    },
    calls: () => calls,
  };
}

export const fileOptions = { kdf: inProcessKdf, policy: fastPolicy } as const;

/** Writes a version record into the vault's history map, as the history module would. */
async function writeHistory(session: Session, vault: Vault): Promise<void> {
  const scratch = new Y.Doc();
  const versions = new Y.Array<unknown>();
  versions.push([{ value: JSON.stringify(canaries.history), at: 1_700_000_000_000, by: 'dev' }]);
  scratch.getMap('history').set('entry-id-1', versions);
  const deleted = new Y.Map<unknown>();
  deleted.set('name', 'gone');
  deleted.set('nested', { deep: [1, 2, { x: 'y' }] });
  scratch.getMap('deleted').set('entry-id-2', deleted);
  const device = await session.device();
  await handleOf(vault).applyRemote([
    { update: Y.encodeStateAsUpdate(scratch), author: device.id },
  ]);
  scratch.destroy();
}

/** Two vaults with items, secrets (one write-only), a connection, history; and settings. */
export async function fillProfile(session: Session): Promise<void> {
  const work = await session.createVault(canaries.vaultName);
  await session.withVault({ id: work.id }, async (vault) => {
    await vault.set('config', { url: 'https://example.com', note: canaries.item });
    await vault.set('password', canaries.secret, { kind: 'secret' });
    await vault.set('deploy-key', canaries.writeOnly, { kind: 'secret', writeOnly: true });
    await vault.set(
      'crm',
      {
        type: 'bearer',
        fields: {
          token: { value: canaries.connection, secret: true, writeOnly: true },
          base_url: { value: null, secret: false },
        },
      },
      { kind: 'connection' },
    );
    await writeHistory(session, vault);
  });
  const env = await session.createVault('env', { nameStyle: 'environment' });
  await session.withVault({ id: env.id }, async (vault) => {
    await vault.set(canaries.entryName, 'value-1', { kind: 'secret' });
    await vault.set('PORT', 8080);
  });
  await session.saveSettings({ autoLockMinutes: 15, signalingUrls: [canaries.setting] });
}

/** Each content map of the vault as JSON: what a restore must give back exactly. */
export async function contentOf(session: Session, id: Vault['id']): Promise<unknown> {
  return session.withVault({ id }, (vault) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, handleOf(vault).encodeState());
    const out = Object.fromEntries(CONTENT_MAPS.map((name) => [name, doc.getMap(name).toJSON()]));
    doc.destroy();
    return out;
  });
}

/** Every entry of a vault by name: kind, value, write-only flag. */
export async function entriesOf(session: Session, id: Vault['id']): Promise<unknown> {
  return session.withVault({ id }, async (vault) => {
    const out: Record<string, unknown> = {};
    for (const summary of await vault.list()) {
      const entry = await vault.getEntry(summary.name);
      out[summary.name] = entry && {
        kind: entry.kind,
        value: entry.value,
        writeOnly: entry.writeOnly,
        createdAt: entry.createdAt,
      };
    }
    return out;
  });
}

/** Every stored row of every table, as bytes and text: what "nothing was written" compares. */
export async function dumpDatabase(db: {
  strict: { tables: { name: string; toArray(): Promise<unknown[]> }[] };
}): Promise<string> {
  const tables: Record<string, unknown[]> = {};
  for (const table of db.strict.tables) tables[table.name] = await table.toArray();
  return JSON.stringify(tables, (_key, value) =>
    value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
  );
}
