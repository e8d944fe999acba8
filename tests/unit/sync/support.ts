import type { Session, ThisDevice } from '../../../src/core/profile';
import { SyncPeer } from '../../../src/core/sync/peer';
import { handleOf, type VaultHandle, vaultKeyOf } from '../../../src/core/vault';
import { testCoffer, vaultContents } from '../../support/coffer';

/** One device of a test: its profile, its device identity, its open vault and its sync peer. */
export interface Replica {
  readonly name: string;
  readonly session: Session;
  readonly device: ThisDevice;
  vault: VaultHandle;
  peer: SyncPeer;
  /** Envelopes this replica sealed, in order. */
  readonly outbox: Uint8Array[];
  reopen(): Promise<void>;
}

let clockBase = 1_800_000_000_000;

async function attach(replica: Omit<Replica, 'vault' | 'peer' | 'reopen'>, vaultName: string) {
  const vault = handleOf(await replica.session.openVault(vaultName));
  // Sequence numbers come from the clock: give each replica a clock of its own that moves.
  clockBase += 1_000_000;
  let now = clockBase;
  const peer = new SyncPeer({ vault, device: replica.device, clock: () => now++ });
  vault.onLocalChange((change) => replica.outbox.push(peer.sealChange(change).bytes));
  return { vault, peer };
}

/**
 * `count` devices holding one vault, each with its own database. The first created it and
 * admitted the others, as an invitation would; nothing is exchanged yet but what `deliver`
 * carries.
 */
export async function replicas(count: number, vaultName = 'shared'): Promise<Replica[]> {
  const out: Replica[] = [];
  for (let i = 0; i < count; i++) {
    const { coffer } = testCoffer();
    const session = await coffer.createProfile('pw');
    const device = await session.device();
    const name = String.fromCharCode(65 + i);
    const base = { name, session, device, outbox: [] as Uint8Array[] };
    if (i === 0) {
      await session.createVault(vaultName);
    } else {
      const founder = out[0]!;
      await session.addJoinedVault({
        id: founder.vault.id,
        name: vaultName,
        key: vaultKeyOf(founder.vault),
        introducedBy: founder.device.id,
      });
    }
    const attached = await attach(base, vaultName);
    const replica: Replica = {
      ...base,
      ...attached,
      async reopen() {
        await replica.vault.close();
        const next = await attach(base, vaultName);
        replica.vault = next.vault;
        replica.peer = next.peer;
      },
    };
    await replica.vault.members.claimDevice({ id: device.id, name }, i === 0);
    if (i > 0) {
      await out[0]!.vault.members.addDevice({
        id: device.id,
        name,
        addedAt: Date.now(),
        addedBy: out[0]!.device.id,
      });
    }
    out.push(replica);
  }
  return out;
}

/** Every entry's name and value. */
export const contents: (vault: VaultHandle) => Promise<Record<string, unknown>> = vaultContents;

/** Hands every envelope `from` has sealed so far to `to`, with a checkpoint first. */
export async function deliverAll(from: Replica, to: Replica) {
  return to.peer.receive([from.peer.sealCheckpoint().bytes, ...from.outbox]);
}
