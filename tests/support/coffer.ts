import type { KdfPolicy } from '../../src/core/crypto';
import { inProcessKdf } from '../../src/core/crypto';
import type { IntegrationPlatform } from '../../src/core/integrations';
import {
  createMemoryChannelHub,
  createMemoryLockManager,
  createVaultMutex,
} from '../../src/core/lock';
import { Coffer } from '../../src/core/profile';
import type { CofferDatabase, SnapshotMakerFactory } from '../../src/core/storage';
import type { CompactionPolicy } from '../../src/core/vault';
import { memoryDatabase } from './memory-db';

/** Low scrypt cost so tests that create many profiles stay fast; floor tests use the real one. */
export const fastPolicy: KdfPolicy = {
  floor: { algorithm: 'scrypt', logN: 10, r: 8, p: 1 },
  target: { algorithm: 'scrypt', logN: 10, r: 8, p: 1 },
};

export interface TestCoffer {
  readonly coffer: Coffer;
  readonly db: CofferDatabase;
  /** Another "tab": a Coffer over the same database and lock space. */
  anotherTab(label?: string): Coffer;
}

export function testCoffer(
  options: {
    policy?: KdfPolicy;
    db?: CofferDatabase;
    clock?: () => number;
    compaction?: CompactionPolicy;
    snapshots?: SnapshotMakerFactory;
    integrations?: IntegrationPlatform;
  } = {},
): TestCoffer {
  const db = options.db ?? memoryDatabase();
  const locks = createMemoryLockManager();
  const channels = createMemoryChannelHub();
  const make = (label: string) =>
    new Coffer({
      db,
      kdf: inProcessKdf,
      mutex: createVaultMutex({
        locks: locks.forClient(label),
        channel: channels.channel(),
        holderLabel: label,
        ...(options.clock ? { clock: options.clock } : {}),
      }),
      kdfPolicy: options.policy ?? fastPolicy,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.compaction ? { compaction: options.compaction } : {}),
      ...(options.snapshots ? { snapshots: options.snapshots } : {}),
      ...(options.integrations ? { integrations: options.integrations } : {}),
    });
  return { coffer: make('tab-1'), db, anotherTab: (label = 'tab-2') => make(label) };
}

/** Every entry of an open vault, by name: what a user would see in it. */
export async function vaultContents(vault: {
  list(): Promise<readonly { name: string }[]>;
  get(name: string): Promise<unknown>;
}): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const entry of await vault.list()) out[entry.name] = await vault.get(entry.name);
  return out;
}
