import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { openCofferDatabase } from '../../../src/core/storage';

/** What docs/crypto.md, "Records", says IndexedDB holds: stores, key paths and version. */
describe('the IndexedDB schema as stored', () => {
  it('has the eight documented stores, their key paths, and version 40', async () => {
    const name = `coffer-schema-${process.pid}`;
    const db = openCofferDatabase({ indexedDB, IDBKeyRange }, name);
    await db.strict.open();
    db.close();
    const raw = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      // Dexie declares version(4) and stores it as 4 * 10.
      expect(raw.version).toBe(40);
      const stores = [...raw.objectStoreNames].sort();
      expect(stores).toEqual([
        'integrations',
        'keyring',
        'profile',
        'providers',
        'runs',
        'snapshots',
        'updates',
        'vaults',
      ]);
      const transaction = raw.transaction(stores, 'readonly');
      const keyPaths = Object.fromEntries(
        stores.map((store) => {
          const objectStore = transaction.objectStore(store);
          return [store, { keyPath: objectStore.keyPath, indexes: [...objectStore.indexNames] }];
        }),
      );
      expect(keyPaths).toEqual({
        keyring: { keyPath: 'id', indexes: [] },
        profile: { keyPath: 'id', indexes: [] },
        providers: { keyPath: 'id', indexes: [] },
        vaults: { keyPath: 'id', indexes: [] },
        updates: { keyPath: ['vault', 'seq'], indexes: [] },
        snapshots: { keyPath: 'vault', indexes: [] },
        integrations: { keyPath: 'id', indexes: [] },
        runs: { keyPath: ['integration', 'seq'], indexes: [] },
      });
    } finally {
      raw.close();
    }
  });
});
