/**
 * A profile with a ProviderSync over an in-memory provider, for the sync tests. The engine's
 * records are sealed under a profile key of their own (the session's is private): what is
 * tested is that they are sealed, opened and checked, whatever key the profile gives.
 */
import { generateKey } from '../../../src/core/crypto';
import type { Session } from '../../../src/core/profile';
import {
  type HashicorpSettings,
  ProviderSync,
  type ProviderSyncDeps,
} from '../../../src/core/providers';
import { createManualScheduler, type ManualScheduler } from '../../../src/core/time';
import type { JsonValue, Vault } from '../../../src/core/vault';
import { testCoffer } from '../../support/coffer';
import { MemoryProvider } from '../../support/memory-provider';

export const settings: HashicorpSettings = {
  kind: 'hashicorp',
  address: 'https://vault.example.com:8200',
  enginePath: 'secret',
  auth: { method: 'token', token: 'hvs.canary-token-do-not-store-in-clear' },
};

export interface Harness {
  readonly session: Session;
  readonly provider: MemoryProvider;
  readonly engine: ProviderSync;
  readonly time: ManualScheduler;
  readonly db: ReturnType<typeof testCoffer>['db'];
  readonly profileKey: ReturnType<typeof generateKey<'profile'>>;
  /** A fresh engine over the same records (another unlock of the profile). */
  another(overrides?: Partial<ProviderSyncDeps>): ProviderSync;
  vault(name?: string): Promise<Vault>;
}

export async function harness(
  options: { provider?: MemoryProvider; defaults?: boolean; deps?: Partial<ProviderSyncDeps> } = {},
): Promise<Harness> {
  const { coffer, db } = testCoffer();
  const session = await coffer.createProfile('pw');
  const provider = options.provider ?? new MemoryProvider();
  const time = createManualScheduler({ start: 1_000_000 });
  const profileKey = generateKey('profile');
  const make = (overrides: Partial<ProviderSyncDeps> = {}) =>
    new ProviderSync({
      db,
      profileKey: () => profileKey,
      vaults: session,
      scheduler: time,
      connect: () => provider,
      checkSettings: (s) => s,
      ...options.deps,
      ...overrides,
    });
  const engine = make();
  if (options.defaults !== false) await engine.saveDefaults(settings);
  let count = 0;
  return {
    session,
    provider,
    engine,
    time,
    db,
    profileKey,
    another: make,
    async vault(name = `vault-${++count}`) {
      const summary = await session.createVault(name);
      return session.openVault({ id: summary.id });
    },
  };
}

/** The vault's items and secrets, by name (connections left out). */
export async function contents(vault: Vault): Promise<Record<string, JsonValue>> {
  const out: Record<string, JsonValue> = {};
  for (const entry of await vault.list()) {
    if (entry.kind !== 'connection') out[entry.name] = (await vault.get(entry.name)) as JsonValue;
  }
  return out;
}

/** Fills a vault with items in one write. */
export async function fill(vault: Vault, values: Record<string, JsonValue>): Promise<void> {
  await vault.setMany(Object.entries(values).map(([name, value]) => ({ name, value })));
}

/** The rejection of `promise` (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
