import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { type CofferDatabase, openCofferDatabase } from '../../src/core/storage';

let counter = 0;

/** A fresh Coffer database over fake-indexeddb, with a name of its own. */
export function memoryDatabase(): CofferDatabase {
  counter += 1;
  return openCofferDatabase(
    { indexedDB, IDBKeyRange },
    `coffer-test-${process.pid}-${counter}-${Math.random().toString(36).slice(2)}`,
  );
}
