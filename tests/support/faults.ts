import type { CofferDexie, StoreName } from '../../src/core/storage';

/**
 * Makes IndexedDB writes to some stores fail the way a real browser does, below Dexie (as DBCore
 * middleware), so the code under test runs unchanged up to the failing write.
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
  return {
    arm() {
      armed = true;
    },
    disarm() {
      armed = false;
    },
  };
}
