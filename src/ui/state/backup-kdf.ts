/**
 * The KDF runner backups use in the browser: scrypt in its own Worker, as the profile's. The
 * composition root builds one for the profile (src/app/platform.ts) but does not hand it to
 * the UI; until it does (AppServices.backup), this makes a second runner over the same Worker
 * entry, once, on first use.
 */

import { spawnKdfWorker } from '../../app/platform';
import { createWorkerKdfRunner, type KdfRunner } from '../../core/crypto';

let runner: KdfRunner | undefined;

export function browserBackupKdf(): KdfRunner {
  runner ??= createWorkerKdfRunner(spawnKdfWorker);
  return runner;
}
