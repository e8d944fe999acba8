/**
 * Teams over the in-memory network, for the sync tests: devices with profiles of their own, a
 * vault founded and synced, members invited with a role, and the team as each device derives it.
 */
import type * as Y from 'yjs';
import type { DeviceId } from '../../../src/core/ids';
import type { Session, ThisDevice } from '../../../src/core/profile';
import {
  type InviteToken,
  joinWithInvite,
  type TransportFactory,
  VaultSync,
} from '../../../src/core/sync';
import { roomNameOf } from '../../../src/core/sync/keys';
import type { TeamState } from '../../../src/core/team';
import { handleOf, type VaultHandle, vaultKeyOf } from '../../../src/core/vault';
import { testCoffer } from '../../support/coffer';
import { eventually, type memoryNetwork } from '../../support/memory-transport';

export type Network = ReturnType<typeof memoryNetwork>;

export interface Device {
  readonly session: Session;
  readonly identity: ThisDevice;
  readonly id: DeviceId;
  vault?: VaultHandle;
  sync?: VaultSync;
  /** This device's copy of the vault room's transport document. */
  room?: Y.Doc;
}

export async function device(): Promise<Device> {
  const { coffer } = testCoffer();
  const session = await coffer.createProfile('pw');
  const identity = await session.device();
  return { session, identity, id: identity.id };
}

/** Opens the vault and starts its sync; remembers the device's copy of the vault's room. */
export async function openSynced(d: Device, name: string, network: Network): Promise<VaultSync> {
  const vault = handleOf(await d.session.openVault(name));
  d.vault = vault;
  const room = roomNameOf(vaultKeyOf(vault));
  const connect: TransportFactory = (options) => {
    if (options.name === room) d.room = options.doc;
    return network.connect(options);
  };
  d.sync = await VaultSync.start({ vault, device: d.identity, connect });
  // In its room, with what an invitation brought applied, as these tests expect of a device.
  await d.sync.firstBatch;
  return d.sync;
}

/** A device that makes a vault, "Team", and syncs it. */
export async function founded(network: Network): Promise<Device> {
  const a = await device();
  await a.session.createVault('Team');
  await openSynced(a, 'Team', network);
  return a;
}

/** A new device joins with `token` and opens the vault it got. */
export async function joined(token: InviteToken, network: Network): Promise<Device> {
  const d = await device();
  const received = await joinWithInvite({ token, device: d.identity, connect: network.connect });
  await openSynced(d, (await d.session.addJoinedVault(received)).name, network);
  return d;
}

/** `inviter` invites a new member with `role`; the new device joins and knows it is a member. */
export async function invitedAs(
  inviter: Device,
  role: 'admin' | 'editor' | 'viewer',
  network: Network,
) {
  const invite = await inviter.sync!.createInvite({ expiresInMs: 60_000, singleUse: true, role });
  const d = await joined(invite.token, network);
  await eventually(() => d.sync!.status().membership === 'member');
  return d;
}

export const stateOf = (d: Device): TeamState => {
  const state = d.sync!.team.state();
  if (!state) throw new Error('no team state');
  return state;
};

/** The members as a device derives them: what must be equal everywhere. */
export const roster = (d: Device) =>
  [...stateOf(d).members.values()]
    .map((m) => ({
      id: m.id,
      role: m.role,
      removed: m.removed !== undefined,
      devices: [...m.devices].sort(),
    }))
    .sort((x, y) => (x.id < y.id ? -1 : 1));

export const sameRoster = (devices: readonly Device[]) => {
  const [first, ...rest] = devices.map((d) => JSON.stringify(roster(d)));
  return rest.every((r) => r === first);
};

export const memberOf = (d: Device, of: Device) => {
  const record = stateOf(d).devices.get(of.id);
  return record && stateOf(d).members.get(record.member);
};

/** A, owner, with B viewer, C editor and D admin, each invited by A, all in agreement. */
export async function team(network: Network) {
  const a = await founded(network);
  await a.vault!.set('API_KEY', 'sk-1', { kind: 'secret' });
  const b = await invitedAs(a, 'viewer', network);
  const c = await invitedAs(a, 'editor', network);
  const d = await invitedAs(a, 'admin', network);
  const all = [a, b, c, d];
  await eventually(
    () => all.every((x) => x.sync!.team.state()?.members.size === 4) && sameRoster(all),
  );
  return { a, b, c, d, all };
}
