/**
 * Teams through sync (issue 15; docs/sync.md, "Members and roles"): the membership log in the
 * vault document, who may author envelopes, what a role may change, and membership changes made
 * through VaultSync, over the in-memory network.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { keyIdOf, randomBytes, toBase64url } from '../../../src/core/crypto';
import { ENVELOPES_MAP, type InviteToken, joinWithInvite } from '../../../src/core/sync';
import { inviteMaterial, newInviteSecret } from '../../../src/core/sync/invite';
import { inviteAnswerPublicKey } from '../../../src/core/sync/invite-answer';
import { type ReceiveReport, SyncPeer } from '../../../src/core/sync/peer';
import { judgeByRole, teamChainVault } from '../../../src/core/sync/team-rules';
import {
  activeMemberOf,
  createOperation,
  memberIdOf,
  TeamPermissionError,
} from '../../../src/core/team';
import { createEntryStore, handleOf, vaultKeyOf } from '../../../src/core/vault';
import { writeDevice } from '../../../src/core/vault/members';
import { eventually, memoryNetwork } from '../../support/memory-transport';
import {
  type Device,
  device,
  founded,
  invitedAs,
  joined,
  memberOf,
  openSynced,
  roster,
  sameRoster,
  stateOf,
  team,
} from './team-support';

/**
 * A SyncPeer for `d`'s vault wired as VaultSync wires its own (team authors, judged by role),
 * so a test can read the reasons of what it refuses.
 */
const judgingPeer = (d: Device) =>
  new SyncPeer({
    vault: d.vault!,
    device: d.identity,
    authors: teamChainVault(d.vault!),
    judge: (author, update) => judgeByRole(d.vault!, author, update),
  });

/**
 * A Yjs update made on a copy of `d`'s vault document (so `d`'s own vault, and its permission
 * checks, are not involved): what a modified client sends.
 */
function changeOn(
  d: Device,
  change: (doc: Y.Doc) => void,
): { update: Uint8Array; knowledge: Uint8Array } {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, d.vault!.encodeState());
  const knowledge = Y.encodeStateVector(copy);
  const updates: Uint8Array[] = [];
  copy.on('update', (update: Uint8Array) => updates.push(update));
  change(copy);
  copy.destroy();
  return { update: Y.mergeUpdates(updates), knowledge };
}

/** An update that sets entry `name` to `value` (as an item), made by a modified client. */
const entryUpdate = (d: Device, name: string, value: string) =>
  changeOn(d, (doc) => {
    createEntryStore(doc, {
      clock: Date.now,
      newId: () => toBase64url(randomBytes(12)),
    }).set(name, { kind: 'item', value } as never);
  });

/**
 * Seals `change` with `d`'s genuine device identity through a SyncPeer of its own (no judge, no
 * author rules: a modified client) and publishes it in `d`'s copy of the vault room.
 */
function publishForged(d: Device, change: { update: Uint8Array; knowledge: Uint8Array }) {
  const rogue = new SyncPeer({ vault: d.vault!, device: d.identity });
  const envelope = rogue.sealChange(change);
  d.room!.getMap(ENVELOPES_MAP).set(envelope.key, envelope.bytes);
  return envelope;
}

const refusedBy = (report: ReceiveReport) => report.rejected;

/**
 * A vault as an older build left it: A founded it and listed B, with no membership log. B
 * joined it then (its metadata names no genesis). Neither has opened it with this build yet.
 */
async function preTeams() {
  const a = await device();
  const b = await device();
  await a.session.createVault('Team');
  const old = handleOf(await a.session.openVault('Team'));
  await old.members.claimDevice({ id: a.id, name: 'a' }, true);
  await old.members.addDevice({ id: b.id, name: 'b', addedAt: Date.now(), addedBy: a.id });
  await old.set('API_KEY', 'sk-1');
  const before = old.team.state();
  const key = vaultKeyOf(old);
  const id = old.id;
  await old.close();
  await b.session.addJoinedVault({ id, name: 'Team', key, introducedBy: a.id });
  return { a, b, before };
}

describe('founding a team', () => {
  it('a new vault gets a team of one: its owner, with this device', async () => {
    const network = memoryNetwork();
    const a = await device();
    await a.session.createVault('Team');
    const vault = handleOf(await a.session.openVault('Team'));
    expect(vault.team.state()).toBeUndefined();
    await vault.close();
    await openSynced(a, 'Team', network);
    const state = stateOf(a);
    expect(state.members.size).toBe(1);
    const [owner] = [...state.members.values()];
    expect(owner!.role).toBe('owner');
    expect(owner!.devices).toEqual([a.id]);
    expect(a.sync!.team.me()?.id).toBe(owner!.id);
    expect(state.refused).toEqual([]);
    expect(a.sync!.status().membership).toBe('member');
  });

  it('a vault from before teams: its other listed device becomes a device of the owner, on both', async () => {
    const network = memoryNetwork();
    const { a, b, before } = await preTeams();
    expect(before).toBeUndefined();

    await openSynced(a, 'Team', network);
    const state = stateOf(a);
    expect(state.members.size).toBe(1);
    const [owner] = [...state.members.values()];
    expect(owner!.role).toBe('owner');
    expect([...owner!.devices].sort()).toEqual([a.id, b.id].sort());
    expect(state.refused).toEqual([]);

    // b, joined before teams (no genesis named), trusts the founder's genesis and agrees.
    await openSynced(b, 'Team', network);
    await eventually(() => b.sync!.team.state() !== undefined && sameRoster([a, b]));
    expect(b.sync!.team.me()?.role).toBe('owner');
    expect(b.sync!.status().membership).toBe('member');
    await b.vault!.set('FROM_B', 'b');
    await eventually(async () => (await a.vault!.get('FROM_B')) === 'b');
    expect(a.sync!.status().refused).toBe(0);
  });
});

describe('roles through invitations', () => {
  it('a viewer, an editor and an admin join; every device derives the same team', async () => {
    const network = memoryNetwork();
    const { a, b, c, d, all } = await team(network);
    expect(memberOf(a, a)?.role).toBe('owner');
    for (const x of all) {
      expect(memberOf(x, b)?.role).toBe('viewer');
      expect(memberOf(x, c)?.role).toBe('editor');
      expect(memberOf(x, d)?.role).toBe('admin');
      expect(stateOf(x).refused).toEqual([]);
      expect(x.sync!.status().refused).toBe(0);
    }
    expect(roster(b)).toEqual(roster(a));
    expect(roster(c)).toEqual(roster(a));
    expect(roster(d)).toEqual(roster(a));
    // Each new device is its own member, with that device only.
    expect(new Set(all.map((x) => memberOf(a, x)!.id)).size).toBe(4);
  }, 20_000);

  it('an editor may not invite a new member; an admin may not invite an admin', async () => {
    const network = memoryNetwork();
    const { c, d } = await team(network);
    const invites = c.vault!.members.invites().length;
    const byEditor = await c
      .sync!.createInvite({ expiresInMs: 60_000, singleUse: true, role: 'viewer' })
      .catch((e: unknown) => e);
    expect(byEditor).toBeInstanceOf(TeamPermissionError);
    expect((byEditor as TeamPermissionError).reason).toBe('not-a-manager');
    const adminByAdmin = await d
      .sync!.createInvite({ expiresInMs: 60_000, singleUse: true, role: 'admin' })
      .catch((e: unknown) => e);
    expect((adminByAdmin as TeamPermissionError).reason).toBe('cannot-grant-role');
    expect(c.vault!.members.invites()).toHaveLength(invites);
    expect(d.vault!.members.invites()).toHaveLength(invites);
  }, 20_000);
});

describe('a viewer', () => {
  it('may read, but its handle refuses entry writes and write-only values', async () => {
    const network = memoryNetwork();
    const a = await founded(network);
    await a.vault!.set('API_KEY', 'sk-1', { kind: 'secret' });
    await a.vault!.set('DEPLOY_TOKEN', 'tok', { kind: 'secret', writeOnly: true });
    const b = await invitedAs(a, 'viewer', network);
    await eventually(
      async () => (await b.vault!.has('DEPLOY_TOKEN')) && memberOf(b, b) !== undefined,
    );
    expect(memberOf(b, b)?.role).toBe('viewer');

    const before = await b.vault!.list();
    const stateBefore = b.vault!.encodeState();
    const error = await b.vault!.set('FROM_B', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TeamPermissionError);
    expect((error as TeamPermissionError).code).toBe('team-not-permitted');
    expect((error as TeamPermissionError).reason).toBe('role-too-low');
    await expect(b.vault!.delete('API_KEY')).rejects.toBeInstanceOf(TeamPermissionError);
    expect(Buffer.from(b.vault!.encodeState())).toEqual(Buffer.from(stateBefore));
    expect(await b.vault!.list()).toEqual(before);
    expect(await b.vault!.has('FROM_B')).toBe(false);

    // Reads: normal entries yes, a write-only value no (its entry without the value, yes).
    expect((await b.vault!.getEntry('API_KEY'))?.value).toBe('sk-1');
    const writeOnly = await b.vault!.getEntry('DEPLOY_TOKEN').catch((e: unknown) => e);
    expect(writeOnly).toBeInstanceOf(TeamPermissionError);
    expect((writeOnly as TeamPermissionError).reason).toBe('role-too-low');
    expect(await b.vault!.visibleEntry('DEPLOY_TOKEN')).toMatchObject({ writeOnly: true });

    // A got nothing from b: a later change of a's reaches b, and a has no FROM_B.
    await a.vault!.set('LATER', 1);
    await eventually(async () => (await b.vault!.get('LATER')) === 1);
    expect(await a.vault!.has('FROM_B')).toBe(false);
    expect(a.sync!.status().refused).toBe(0);
    // The owner can read the write-only value.
    expect(await a.vault!.get('DEPLOY_TOKEN')).toBe('tok');
  }, 20_000);

  it('a modified client: an envelope that edits entries, signed by the viewer’s device, is refused (not-permitted); the same from an editor is accepted', async () => {
    const network = memoryNetwork();
    const { a, b, c, d } = await team(network);
    await eventually(async () => (await c.vault!.get('API_KEY')) === 'sk-1');
    await eventually(async () => (await b.vault!.get('API_KEY')) === 'sk-1');

    // Through the room, as the modified client would publish it.
    const forged = entryUpdate(b, 'API_KEY', 'stolen');
    const refusedA = a.sync!.status().refused;
    const refusedD = d.sync!.status().refused;
    const envelope = publishForged(b, forged);
    await eventually(
      () => a.sync!.status().refused > refusedA && d.sync!.status().refused > refusedD,
    );
    expect(await a.vault!.get('API_KEY')).toBe('sk-1');
    expect(await d.vault!.get('API_KEY')).toBe('sk-1');
    expect(await c.vault!.get('API_KEY')).toBe('sk-1');

    // The reason, from a peer wired as VaultSync wires its own, over a's vault.
    const report = await judgingPeer(a).receive([envelope.bytes]);
    expect(report.accepted).toBe(0);
    expect(refusedBy(report)).toEqual({ 'not-permitted': 1 });
    expect(await a.vault!.get('API_KEY')).toBe('sk-1');

    // Control: the same change, sealed by the editor's device, is accepted everywhere.
    const control = await judgingPeer(d).receive([
      new SyncPeer({ vault: c.vault!, device: c.identity }).sealChange(forged).bytes,
    ]);
    expect(control).toMatchObject({ accepted: 1, rejected: {} });
    publishForged(c, forged);
    await eventually(async () => (await a.vault!.get('API_KEY')) === 'stolen');
    expect(a.sync!.status().refused).toBe(refusedA + 1);
  }, 20_000);
});

describe('membership changes', () => {
  it('a viewer adds a device of its own: its desk admits it, and the others take the change', async () => {
    const network = memoryNetwork();
    const { a, b, c, d } = await team(network);
    const bMember = memberOf(a, b)!.id;
    const refused = a.sync!.status().refused;
    const invite = await b.sync!.createInvite({
      expiresInMs: 60_000,
      singleUse: true,
      ownDevice: true,
    });
    expect(invite.record).toMatchObject({ member: bMember });
    expect(invite.record.role).toBeUndefined();
    const b2 = await joined(invite.token, network);
    await eventually(() => b2.sync!.status().membership === 'member');
    // (The new device may count itself a member, from the device list its invitation brought,
    // before its team log is derived.)
    await eventually(() =>
      [a, c, d, b, b2].every(
        (x) => x.sync!.team.state() !== undefined && memberOf(x, b2)?.id === bMember,
      ),
    );
    await eventually(() => sameRoster([a, b, c, d, b2]));
    expect(memberOf(a, b2)?.role).toBe('viewer');
    expect(stateOf(a).members.get(bMember)?.devices).toEqual([b.id, b2.id]);
    expect(a.sync!.status().refused).toBe(refused);
    // The new device is a viewer's: its handle refuses entry writes too.
    await expect(b2.vault!.set('FROM_B2', 1)).rejects.toBeInstanceOf(TeamPermissionError);
  }, 20_000);

  it('an editor’s forged set-role (itself to admin) is stored but refused on every device', async () => {
    const network = memoryNetwork();
    const { a, c, d, all } = await team(network);
    const cMember = memberOf(c, c)!;
    expect(cMember.role).toBe('editor');
    // The sanctioned path says no.
    const refused = await c.sync!.team.setRole(cMember.id, 'admin').catch((e: unknown) => e);
    expect((refused as TeamPermissionError).reason).toBe('not-a-manager');

    const before = all.map((x) => x.sync!.status().refused);
    const op = createOperation(c.identity, {
      kind: 'set-role',
      vault: c.vault!.id,
      at: Date.now(),
      parents: stateOf(c).heads,
      member: cMember.id,
      role: 'admin',
    });
    await c.vault!.team.append([op]);
    await eventually(() => all.every((x) => x.vault!.team.has(op.id)));
    for (const x of all) {
      expect(stateOf(x).refused).toContainEqual({
        id: op.id,
        reason: 'not-a-manager',
        stage: 'written',
      });
      expect(memberOf(x, c)?.role).toBe('editor');
    }
    all.forEach((x, i) => {
      expect(x.sync!.status().refused).toBe(before[i]! + 1);
    });
    // Nothing else moved: c still may not manage members, and a and d agree.
    expect(c.sync!.team.may({ kind: 'set-role', member: cMember.id, role: 'admin' })).toEqual({
      allowed: false,
      reason: 'not-a-manager',
    });
    expect(sameRoster([a, c, d])).toBe(true);
  }, 20_000);

  it('removing an editor: its later envelopes are refused (revoked-device), its earlier ones stand', async () => {
    const network = memoryNetwork();
    const { a, c, d } = await team(network);
    await c.vault!.set('EARLY', 'before removal');
    await eventually(async () => (await a.vault!.get('EARLY')) === 'before removal');
    const earlyKey = [...c.room!.getMap(ENVELOPES_MAP).keys()]
      .filter((k) => k.startsWith(`${c.id}.`) && !k.endsWith('.c'))
      .sort()
      .at(-1)!;
    const early = c.room!.getMap<Uint8Array>(ENVELOPES_MAP).get(earlyKey)!;

    // c is away, and does not hear of its removal.
    network.setOnline(c.room!, false);
    const cMember = memberOf(a, c)!;
    expect(await a.sync!.removeDevice(c.id)).toBe(true);
    await eventually(() => memberOf(d, c)?.removed !== undefined);
    for (const x of [a, d]) {
      expect(stateOf(x).members.get(cMember.id)?.removed).toEqual({
        op: expect.any(String),
        left: false,
      });
      expect(activeMemberOf(stateOf(x), c.id)).toBeUndefined();
    }
    expect(a.vault!.members.authorStatus(c.id)).toBe('revoked');

    // c, not knowing, writes; then comes back.
    expect(c.sync!.status().membership).toBe('member');
    await c.vault!.set('LATE', 'after removal');
    const refusedA = a.sync!.status().refused;
    const refusedD = d.sync!.status().refused;
    network.setOnline(c.room!, true);
    await eventually(() => c.sync!.status().membership === 'removed');
    await eventually(
      () => a.sync!.status().refused > refusedA && d.sync!.status().refused > refusedD,
    );
    expect(await a.vault!.has('LATE')).toBe(false);
    expect(await d.vault!.has('LATE')).toBe(false);
    expect(await a.vault!.get('EARLY')).toBe('before removal');

    // The reasons, on a's vault, from a peer that has seen nothing of c yet: c's envelope from
    // before the removal (its removal point) is accepted, the one after it refused.
    const lateKey = [...c.room!.getMap(ENVELOPES_MAP).keys()]
      .filter((k) => k.startsWith(`${c.id}.`) && !k.endsWith('.c'))
      .sort()
      .at(-1)!;
    expect(lateKey).not.toBe(earlyKey);
    const late = c.room!.getMap<Uint8Array>(ENVELOPES_MAP).get(lateKey)!;
    const peer = judgingPeer(a);
    const first = await peer.receive([early]);
    expect(first).toMatchObject({ accepted: 1, rejected: {} });
    // Whatever else of c's is in the room comes with the late one (a checkpoint c published
    // after the early change, say, which the late one then follows), so the peer knows c's
    // chain up to it and can place it after the removal.
    const between = [...c.room!.getMap<Uint8Array>(ENVELOPES_MAP).entries()]
      .filter(([k]) => k.startsWith(`${c.id}.`) && k !== earlyKey && k !== lateKey)
      .map(([, bytes]) => bytes);
    const outcomes = new Map<Uint8Array, unknown>();
    peer.onOutcome((bytes, outcome) => outcomes.set(bytes, outcome));
    const second = await peer.receive([...between, late]);
    expect(outcomes.get(late)).toEqual({ refused: 'revoked-device' });
    expect(second.rejected['revoked-device']).toBeGreaterThanOrEqual(1);
    expect(await a.vault!.has('LATE')).toBe(false);
  }, 20_000);

  it('conflicting changes made apart converge: the owner promotes editor X while an admin removes X', async () => {
    const network = memoryNetwork();
    const { a, c: x, d, all } = await team(network);
    const xMember = memberOf(a, x)!.id;
    expect(memberOf(a, x)?.role).toBe('editor');
    // a is cut off from everyone else.
    network.setOnline(a.room!, false);
    await a.sync!.team.setRole(xMember, 'admin');
    await d.sync!.team.removeMember(xMember);
    expect(memberOf(a, x)?.role).toBe('admin');
    expect(memberOf(d, x)?.removed).toBeDefined();
    await eventually(() => memberOf(x, x)?.removed !== undefined);
    expect(memberOf(a, x)?.removed).toBeUndefined();

    network.setOnline(a.room!, true);
    await eventually(() =>
      all.every((y) => y.sync!.team.state()?.order.length === stateOf(a).order.length),
    );
    await eventually(() => sameRoster(all));
    for (const y of all) {
      const member = stateOf(y).members.get(xMember)!;
      expect(member.role).toBe('admin');
      expect(member.removed).toBeUndefined();
      expect(stateOf(y).refused).toContainEqual(
        expect.objectContaining({ reason: 'cannot-manage-target', stage: 'applied' }),
      );
    }
    expect(x.sync!.status().membership).toBe('member');
    // X, an admin after all, writes; everyone takes it.
    await eventually(() => x.sync!.team.me()?.role === 'admin');
    await x.vault!.set('FROM_X', 'x');
    await eventually(async () => (await a.vault!.get('FROM_X')) === 'x');
    await eventually(async () => (await d.vault!.get('FROM_X')) === 'x');
  }, 20_000);

  it('a viewer leaves: every device takes it, and the viewer is gone', async () => {
    const network = memoryNetwork();
    const { a, b, c, d, all } = await team(network);
    const bMember = memberOf(a, b)!.id;
    const before = all.map((x) => x.sync!.status().refused);
    const change = await b.sync!.team.leave();
    expect(change.state.members.get(bMember)?.removed).toEqual({
      op: change.operation.id,
      left: true,
    });
    await eventually(() =>
      all.every((x) => stateOf(x).members.get(bMember)?.removed !== undefined),
    );
    for (const x of all) {
      expect(stateOf(x).members.get(bMember)?.removed?.left).toBe(true);
      expect(stateOf(x).applied.has(change.operation.id)).toBe(true);
    }
    all.forEach((x, i) => {
      expect(x.sync!.status().refused).toBe(before[i]!);
    });
    expect(sameRoster([a, c, d, b])).toBe(true);
    expect(b.sync!.status().membership).toBe('removed');
    expect(teamChainVault(a.vault!).authorStatus(b.id)).toBe('revoked');
  }, 20_000);
});

describe('the membership log only grows', () => {
  it('a viewer that deletes the genesis from the log is refused (not-permitted): the team stands, and its next edit is refused too', async () => {
    const network = memoryNetwork();
    const { a, b, c, d } = await team(network);
    const genesis = stateOf(a).anchor.genesis;
    const deletion = changeOn(b, (doc) => doc.getMap('team').delete(genesis));
    // What the deletion would do if applied: no genesis, so no team (the device list decides).
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, a.vault!.encodeState());
    Y.applyUpdate(scratch, deletion.update);
    expect(scratch.getMap('team').has(genesis)).toBe(false);

    const refusedA = a.sync!.status().refused;
    const envelope = publishForged(b, deletion);
    await eventually(() => a.sync!.status().refused > refusedA);
    expect(a.vault!.team.has(genesis)).toBe(true);
    expect(a.sync!.team.state()).toBeDefined();
    // (b's own copy applies what b signed: the modified client fools only itself.)
    await eventually(() =>
      [c, d].every((x) => x.vault!.team.has(genesis) && stateOf(x).members.size === 4),
    );
    expect(sameRoster([a, c, d])).toBe(true);
    expect(refusedBy(await judgingPeer(a).receive([envelope.bytes]))).toEqual({
      'not-permitted': 1,
    });

    const edit = publishForged(b, entryUpdate(b, 'API_KEY', 'stolen'));
    await eventually(() => a.sync!.status().refused > refusedA + 1);
    expect(await a.vault!.get('API_KEY')).toBe('sk-1');
    expect(refusedBy(await judgingPeer(a).receive([edit.bytes]))).toEqual({ 'not-permitted': 1 });
  }, 20_000);

  it('an editor that replaces a record of the log is refused, whether it names the record or not; one that adds a record is not', async () => {
    const network = memoryNetwork();
    const { a, c } = await team(network);
    const genesis = stateOf(a).anchor.genesis;
    const seal = (change: { update: Uint8Array; knowledge: Uint8Array }) =>
      new SyncPeer({ vault: c.vault!, device: c.identity }).sealChange(change).bytes;
    // Set over the record (its origin is the record).
    const over = changeOn(c, (doc) => doc.getMap('team').set(genesis, new Uint8Array([1, 2, 3])));
    // Set from an empty document by a client whose id sorts last: Yjs puts it after the
    // record, which it replaces, though the update names no neighbour.
    const fresh = new Y.Doc();
    fresh.clientID = 0xffff_fff0;
    const blind: Uint8Array[] = [];
    fresh.on('update', (update: Uint8Array) => blind.push(update));
    fresh.getMap('team').set(genesis, new Uint8Array([4, 5, 6]));
    const unnamed = { update: Y.mergeUpdates(blind), knowledge: Y.encodeStateVector(new Y.Doc()) };
    for (const change of [over, unnamed]) {
      const scratch = new Y.Doc();
      Y.applyUpdate(scratch, a.vault!.encodeState());
      Y.applyUpdate(scratch, change.update);
      expect(scratch.getMap('team').get(genesis)).not.toEqual(a.vault!.team.records()[0]?.bytes);
      expect(scratch.getMap('team').get(genesis)).toBeInstanceOf(Uint8Array);
      expect((scratch.getMap('team').get(genesis) as Uint8Array).length).toBe(3);
    }
    const peer = judgingPeer(a);
    expect(refusedBy(await peer.receive([seal(over)]))).toEqual({ 'not-permitted': 1 });
    expect(refusedBy(await peer.receive([seal(unnamed)]))).toEqual({ 'not-permitted': 1 });
    expect(a.vault!.team.has(genesis)).toBe(true);
    expect(a.sync!.team.state()?.anchor.genesis).toBe(genesis);

    // Adding a record (junk, which the log refuses when deriving) is an editor's right.
    const junk = changeOn(c, (doc) => doc.getMap('team').set('junk', new Uint8Array([7, 8, 9])));
    const before = stateOf(a).refused.length;
    expect(await peer.receive([seal(junk)])).toMatchObject({ accepted: 1, rejected: {} });
    expect(a.vault!.team.has('junk')).toBe(true);
    expect(stateOf(a).refused.length).toBe(before + 1);
    expect(stateOf(a).members.size).toBe(4);
  }, 20_000);
});

describe('invitation records', () => {
  // Invitation records live in the vault's document, where any member writes; the answering
  // device admits only with a record its maker signed as it stands.
  it('a viewer cannot get a newcomer admitted as admin with a record naming the owner as maker', async () => {
    const network = memoryNetwork();
    const { a, b } = await team(network);
    const secret = newInviteSecret();
    const material = inviteMaterial(secret);
    const now = Date.now();
    // The modified client: the record written straight into b's vault (saveInvite is not gated).
    await b.vault!.members.saveInvite({
      id: material.id,
      secret: toBase64url(secret),
      createdAt: now,
      expiresAt: now + 60_000,
      singleUse: true,
      createdBy: a.id,
      usedBy: [],
      role: 'admin',
    });
    await eventually(() => a.vault!.members.invite(material.id) !== undefined);
    const token: InviteToken = {
      secret,
      vaultId: b.vault!.id,
      keyId: keyIdOf(vaultKeyOf(b.vault!)),
      expiresAt: now + 60_000,
      answerKey: inviteAnswerPublicKey(vaultKeyOf(b.vault!), material.id),
    };
    const e = await device();
    // Nobody admits with the forged record: the newcomer waits in vain.
    await expect(
      joinWithInvite({ token, device: e.identity, connect: network.connect, timeoutMs: 4000 }),
    ).rejects.toMatchObject({ problem: 'timeout' });
    expect(stateOf(a).devices.has(e.id)).toBe(false);
    // The same record as its maker signs it admits as the record says (the control).
    const genuine = await a.sync!.createInvite({
      expiresInMs: 60_000,
      singleUse: true,
      role: 'viewer',
    });
    const f = await joined(genuine.token, network);
    await eventually(() => memberOf(a, f) !== undefined);
    expect(memberOf(a, f)?.role).toBe('viewer');
  }, 30_000);
});

describe('the device list’s founder', () => {
  it('a member cannot name itself founder (nor unname the founder): a device from before teams keeps its anchor', async () => {
    const network = memoryNetwork();
    const { a, b } = await preTeams();
    await openSynced(a, 'Team', network);
    await openSynced(b, 'Team', network);
    await eventually(() => b.sync!.team.state() !== undefined && sameRoster([a, b]));
    const v = await invitedAs(a, 'viewer', network);
    const c = await invitedAs(a, 'editor', network);
    await eventually(() => memberOf(b, v) !== undefined && memberOf(b, c) !== undefined);
    const genesis = stateOf(b).anchor.genesis;
    expect(b.vault!.team.anchor()?.genesis).toBe(genesis);

    // v, a modified client, writes a device record that names it founder ...
    const claim = changeOn(v, (doc) =>
      writeDevice(doc, { id: v.id, name: 'v', addedAt: 0, addedBy: null }),
    );
    const refusedA = a.sync!.status().refused;
    const refusedB = b.sync!.status().refused;
    const envelope = publishForged(v, claim);
    await eventually(
      () => a.sync!.status().refused > refusedA && b.sync!.status().refused > refusedB,
    );
    expect(refusedBy(await judgingPeer(b).receive([envelope.bytes]))).toEqual({
      'not-permitted': 1,
    });
    // ... and signs a genesis of its own, which it may add to the log (it changes nothing).
    const forged = createOperation(v.identity, {
      kind: 'genesis',
      vault: v.vault!.id,
      at: Date.now(),
      parents: [],
      member: memberIdOf(randomBytes(16)),
      memberName: 'v',
      deviceName: 'v',
    });
    publishForged(
      v,
      changeOn(v, (doc) => doc.getMap('team').set(forged.id, forged.bytes)),
    );
    await eventually(() => a.vault!.team.has(forged.id) && b.vault!.team.has(forged.id));
    for (const x of [a, b]) {
      expect(stateOf(x).anchor.genesis).toBe(genesis);
      expect(memberOf(x, v)?.role).toBe('viewer');
      expect(stateOf(x).refused).toContainEqual(
        expect.objectContaining({ id: forged.id, reason: 'not-the-genesis' }),
      );
    }
    expect(b.sync!.status().membership).toBe('member');
    expect(sameRoster([a, b])).toBe(true);

    // An editor may not unname the founder either; a record for a new device is fine.
    const peer = judgingPeer(b);
    const seal = (change: { update: Uint8Array; knowledge: Uint8Array }) =>
      new SyncPeer({ vault: c.vault!, device: c.identity }).sealChange(change).bytes;
    const unname = changeOn(c, (doc) => doc.getMap('devices').delete(a.id));
    expect(refusedBy(await peer.receive([seal(unname)]))).toEqual({ 'not-permitted': 1 });
    const other = (await device()).id;
    const listed = changeOn(c, (doc) =>
      writeDevice(doc, { id: other, name: 'other', addedAt: Date.now(), addedBy: c.id }),
    );
    expect(await peer.receive([seal(listed)])).toMatchObject({ accepted: 1, rejected: {} });
    expect(b.vault!.team.anchor()?.genesis).toBe(genesis);
  }, 30_000);
});

describe('key epochs', () => {
  it('a removal starts a new epoch on every remaining device; an offline member picks it up when back; the removed one opens nothing new', async () => {
    const network = memoryNetwork();
    const { a, b, c, d } = await team(network);
    for (const x of [a, b, c, d]) expect(x.sync!.epoch).toBe(0);
    // d (an admin) is away when a removes c.
    network.setOnline(d.room!, false);
    expect(await a.sync!.removeDevice(c.id)).toBe(true);
    await eventually(() => a.sync!.epoch > 0 && b.sync!.epoch === a.sync!.epoch);
    const epoch = a.sync!.epoch;
    // What a writes now is sealed under the new key: b takes it, c (still in the room, with
    // every key it had) holds it unopened.
    await a.vault!.set('AFTER', 'rotated');
    await eventually(async () => (await b.vault!.get('AFTER')) === 'rotated');
    expect(await c.vault!.has('AFTER')).toBe(false);
    expect(c.sync!.epoch).toBe(0);
    // d comes back: it learns of the removal, opens the new epoch's record and reads on.
    network.setOnline(d.room!, true);
    await eventually(
      async () => d.sync!.epoch === epoch && (await d.vault!.get('AFTER')) === 'rotated',
    );
    await d.vault!.set('FROM_D', 'after its return');
    await eventually(async () => (await a.vault!.get('FROM_D')) === 'after its return');
    await eventually(async () => (await b.vault!.get('FROM_D')) === 'after its return');
    expect(await c.vault!.has('FROM_D')).toBe(false);
  }, 30_000);

  it('a member added after a rotation gets the current key: the device that admits it rotates again', async () => {
    const network = memoryNetwork();
    const { a, b, c } = await team(network);
    expect(await a.sync!.removeDevice(c.id)).toBe(true);
    await eventually(() => a.sync!.epoch > 0 && b.sync!.epoch === a.sync!.epoch);
    const before = a.sync!.epoch;
    await a.vault!.set('OLD', 'under the first new key');
    const e = await invitedAs(a, 'editor', network);
    await eventually(() => a.sync!.epoch > before && e.sync!.epoch === a.sync!.epoch);
    // e reads what was written before it came (through the history) and after.
    await eventually(async () => (await e.vault!.get('OLD')) === 'under the first new key');
    await e.vault!.set('FROM_E', 'new member');
    await eventually(async () => (await b.vault!.get('FROM_E')) === 'new member');
    expect(await c.vault!.has('FROM_E')).toBe(false);
  }, 30_000);

  it('two removals made apart each rotate; once merged, one more rotation leaves both removed devices out', async () => {
    const network = memoryNetwork();
    const { a, b, c, d } = await team(network);
    network.setOnline(d.room!, false);
    // Apart: a (owner) removes c; d (admin) removes b.
    expect(await a.sync!.removeDevice(c.id)).toBe(true);
    expect(await d.sync!.removeDevice(b.id)).toBe(true);
    await eventually(() => a.sync!.epoch > 0 && d.sync!.epoch > 0);
    network.setOnline(d.room!, true);
    await eventually(() => sameRoster([a, d]) && memberOf(a, b)?.removed !== undefined);
    // Each first rotation was sealed to a device the other removed: neither seals any more,
    // and a later one, for a and d alone, does.
    await eventually(() => a.sync!.epoch >= 2 && d.sync!.epoch === a.sync!.epoch);
    await a.vault!.set('MERGED', 'after both removals');
    await eventually(async () => (await d.vault!.get('MERGED')) === 'after both removals');
    for (const removed of [b, c]) expect(await removed.vault!.has('MERGED')).toBe(false);
  }, 40_000);
});
