/**
 * The team through the UI's sync view (startVaultSync), over the in-memory network: the view's
 * team, member and entry rights follow the membership log, invitations carry the role chosen,
 * and a role change shows on both devices.
 */
import { describe, expect, it } from 'vitest';
import { joinWithInvite, parseInvite } from '../../../src/core/sync';
import { startVaultSync, type VaultSyncView } from '../../../src/ui/state/vault-sync';
import { testCoffer } from '../../support/coffer';
import { eventually, memoryNetwork } from '../../support/memory-transport';

type Network = ReturnType<typeof memoryNetwork>;

async function profile() {
  const { coffer } = testCoffer();
  const session = await coffer.createProfile('pw');
  return { session, device: await session.device() };
}

async function view(
  d: Awaited<ReturnType<typeof profile>>,
  name: string,
  network: Network,
): Promise<VaultSyncView> {
  return startVaultSync(await d.session.openVault(name), {
    device: d.device,
    connect: network.connect,
    appUrl: 'https://coffer.example/',
  });
}

describe('the sync view of a team', () => {
  it('shows the owner its team, invites a viewer who may not write, then makes it an editor', async () => {
    const network = memoryNetwork();
    const a = await profile();
    await a.session.createVault('Team');
    const owner = await view(a, 'Team', network);
    expect(owner.me()?.role).toBe('owner');
    expect(owner.rights()).toEqual({ canWrite: true, canUseWriteOnly: true });
    expect(owner.may({ kind: 'leave' })).toEqual({ allowed: false, reason: 'owner-must-transfer' });

    const link = await owner.createInvite({ expiresInMs: 60_000, singleUse: true, role: 'viewer' });
    expect(owner.invites()[0]?.role).toBe('viewer');
    const b = await profile();
    const received = await joinWithInvite({
      token: parseInvite(link),
      device: b.device,
      connect: network.connect,
    });
    const viewer = await view(b, (await b.session.addJoinedVault(received)).name, network);
    await eventually(() => viewer.me()?.role === 'viewer' && owner.team()?.members.size === 2);
    expect(viewer.rights()).toEqual({
      canWrite: false,
      canUseWriteOnly: false,
      why: 'You are a viewer in this vault: viewers read entries but cannot change them.',
    });
    // A viewer may not invite anyone else, but may invite its own devices.
    await expect(
      viewer.createInvite({ expiresInMs: 60_000, singleUse: true, role: 'viewer' }),
    ).rejects.toMatchObject({ code: 'team-not-permitted', reason: 'not-a-manager' });
    await viewer.createInvite({ expiresInMs: 60_000, singleUse: true, ownDevice: true });
    expect(viewer.invites().some((invite) => invite.member === viewer.me()?.id)).toBe(true);

    // The owner's view changes at once; the viewer's when the change arrives.
    await owner.setRole(viewer.me()!.id, 'editor');
    const member = [...owner.team()!.members.values()].find((m) => m.name !== 'Owner');
    expect(member?.role).toBe('editor');
    await eventually(() => viewer.rights().canWrite);
    await owner.stop();
    await viewer.stop();
  });
});
