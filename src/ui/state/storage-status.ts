import { createSignal } from 'solid-js';
import type { StorageStatus } from './context';

/**
 * Asks the browser to keep Coffer's data (persistent storage) and says whether it agreed.
 * Where it did not, the browser may evict the vaults under storage pressure (and Safari after
 * seven days without a visit), which the UI tells the user.
 */
export function createStorageStatus(
  storage: Pick<StorageManager, 'persist' | 'persisted'> | undefined,
): StorageStatus {
  const [persisted, setPersisted] = createSignal<boolean | undefined>(undefined);
  if (storage) {
    void storage
      .persisted()
      .then((already) => (already ? true : storage.persist()))
      .then(setPersisted, () => setPersisted(false));
  }
  return { persisted };
}
