import type { CofferDexie, StoreName } from '../../src/core/storage';

/**
 * Makes IndexedDB writes to some stores fail the way a real browser does, so the code under
 * test runs unchanged up to the failing write: below Dexie (as DBCore middleware) for writes
 * through Dexie, and on the connection itself for the update log's direct writes (a readwrite
 * transaction on a faulty store aborts with the error, as a real quota failure does).
 */
export function injectWriteFault(
  db: CofferDexie,
  stores: StoreName[],
  errorName: 'QuotaExceededError' | 'AbortError' | 'UnknownError',
) {
  let armed = false;
  db.use({
    stack: 'dbcore',
    name: `fault-${errorName}`,
    create: (down) => ({
      ...down,
      table: (tableName) => {
        const table = down.table(tableName);
        return {
          ...table,
          mutate: (request) =>
            armed && (stores as string[]).includes(tableName)
              ? Promise.reject(new DOMException(`injected ${errorName}`, errorName))
              : table.mutate(request),
        };
      },
    }),
  });
  db.on('ready', () => {
    const idb = db.backendDB();
    const transaction = idb.transaction.bind(idb) as (...args: unknown[]) => IDBTransaction;
    idb.transaction = ((...args: unknown[]) => {
      const tx = transaction(...args);
      const names = ([] as string[]).concat(args[0] as string | string[]);
      if (
        armed &&
        args[1] === 'readwrite' &&
        names.some((name) => (stores as string[]).includes(name))
      ) {
        queueMicrotask(() => {
          // fake-indexeddb keeps `error` as a plain field; abort() then reports it.
          (tx as { error: DOMException | null }).error = new DOMException(
            `injected ${errorName}`,
            errorName,
          );
          tx.abort();
        });
      }
      return tx;
    }) as typeof idb.transaction;
  });
  return {
    arm() {
      armed = true;
    },
    disarm() {
      armed = false;
    },
  };
}
