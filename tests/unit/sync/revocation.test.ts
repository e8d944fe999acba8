import { describe, expect, it } from 'vitest';
import { readEnvelopeHeader, sealEnvelopeWithId } from '../../../src/core/sync/envelope';
import { syncKeyOf } from '../../../src/core/sync/keys';
import { SyncPeer } from '../../../src/core/sync/peer';
import { type LocalChange, vaultKeyOf } from '../../../src/core/vault';
import { contents, type Replica, replicas } from './support';

/**
 * A removed device plays the attacker with a client of its own: it controls its clock, its
 * sequence numbers, its prev fields, what it sends and when. The other devices must refuse
 * everything it writes after its removal and change nothing, and still take what it wrote
 * before, in any order (docs/sync.md, "Removing a device").
 */

/** What a device's vault holds that a removed device must not be able to change. */
const stateOf = async (replica: Replica) => ({
  entries: await contents(replica.vault),
  devices: replica.vault.members.devices(),
});

/** Collects the changes made on a vault from now on. */
function capture(replica: Replica): LocalChange[] {
  const out: LocalChange[] = [];
  replica.vault.onLocalChange((change) => out.push(change));
  return out;
}

/**
 * a, b and c hold one vault; b writes twice (a chain of two envelopes, u1 then u2), a takes
 * both and then removes b. Returns the pieces, with a change b made after its removal that is
 * not sealed yet (`evil`), for the attacker to seal as it likes.
 */
async function removedDevice() {
  const [a, b, c] = (await replicas(3)) as [Replica, Replica, Replica];
  await b.vault.set('from-b', 'before removal');
  await b.vault.set('from-b-2', 'before removal too');
  const [u1, u2] = b.outbox as [Uint8Array, Uint8Array];
  expect((await a.peer.receive([u1, u2])).accepted).toBe(2);
  const last = a.peer.lastAcceptedOf(b.device.id)!;
  expect(last.seq).toBe(readEnvelopeHeader(u2).seq);
  expect(await a.vault.members.revokeDevice(b.device.id, last, a.device.id)).toBe(true);
  const changes = capture(b);
  await b.vault.set('from-b', 'after removal');
  await b.vault.set('evil', 'written after removal');
  const evil = changes.at(-1)!;
  return { a, b, c, u1, u2, evil, changes };
}

/** b's own client, with its clock wherever it likes. */
function attackerClient(b: Replica, clock: () => number): SyncPeer {
  return new SyncPeer({ vault: b.vault, device: b.device, clock });
}

/** An envelope b seals by hand: any seq, any prev. */
function forged(
  b: Replica,
  change: LocalChange,
  seq: number,
  prev: Uint8Array,
  kind: 'update' | 'checkpoint' = 'update',
) {
  return sealEnvelopeWithId({
    kind,
    vaultId: b.vault.id,
    author: b.device,
    seq,
    syncKey: syncKeyOf(vaultKeyOf(b.vault)),
    update: kind === 'checkpoint' ? b.vault.encodeState() : change.update,
    knowledge: kind === 'checkpoint' ? new Uint8Array(0) : change.knowledge,
    prev,
  }).bytes;
}

describe('a removed device cannot write again', () => {
  it('refuses its writes with its clock set back before the removal (reloaded client)', async () => {
    const { a, b, u1 } = await removedDevice();
    const before = await stateOf(a);
    // Its clock an hour before its first envelope: sequence numbers far below the removal's.
    const early = readEnvelopeHeader(u1).seq / 1000 - 3_600_000;
    let now = early;
    const client = attackerClient(b, () => now++);
    const out = [
      client.sealCheckpoint().bytes,
      client.sealChange({ update: b.vault.encodeState(), knowledge: new Uint8Array(0) }).bytes,
    ];
    expect(readEnvelopeHeader(out[1]!).seq).toBeLessThan(readEnvelopeHeader(u1).seq);
    const report = await a.peer.receive(out);
    expect(report).toMatchObject({ accepted: 0, held: 0, rejected: { 'revoked-device': 2 } });
    expect(await stateOf(a)).toEqual(before);
    expect(a.peer.rejected['revoked-device']).toBe(2);
  });

  it('refuses its writes with its clock set forward', async () => {
    const { a, b, evil } = await removedDevice();
    const before = await stateOf(a);
    let now = Date.now() + 365 * 24 * 3600_000;
    const client = attackerClient(b, () => now++);
    const report = await a.peer.receive([client.sealChange(evil).bytes]);
    expect(report).toMatchObject({ accepted: 0, rejected: { 'revoked-device': 1 } });
    expect(await stateOf(a)).toEqual(before);
  });

  it('refuses its writes that reuse an old sequence number, or one inside its old range', async () => {
    const { a, b, u1, u2, evil } = await removedDevice();
    const before = await stateOf(a);
    const zero = new Uint8Array(32);
    const [seq1, seq2] = [readEnvelopeHeader(u1).seq, readEnvelopeHeader(u2).seq];
    const report = await a.peer.receive([
      forged(b, evil, seq1, zero), // u1's very name, in u1's place in the chain
      forged(b, evil, seq2, readEnvelopeHeader(u2).prev), // u2's name and place
      forged(b, evil, seq1 + 1, zero), // never used, below the last accepted one
    ]);
    expect(report).toMatchObject({ accepted: 0, held: 0, rejected: { 'revoked-device': 3 } });
    expect(await stateOf(a)).toEqual(before);
  });

  it('refuses its writes that continue its chain after the removal point, checkpoint included', async () => {
    const { a, b, evil } = await removedDevice();
    const before = await stateOf(a);
    // b's client of before, still running: its next envelopes name u2, the removal point.
    const next = b.peer.sealChange(evil).bytes;
    const checkpoint = b.peer.sealCheckpoint().bytes;
    const report = await a.peer.receive([next, checkpoint]);
    expect(report).toMatchObject({ accepted: 0, rejected: { 'revoked-device': 2 } });
    expect(await stateOf(a)).toEqual(before);
  });

  it('refuses a fork: a new envelope naming an old predecessor, and a new checkpoint', async () => {
    const { a, b, u1, u2, evil } = await removedDevice();
    const before = await stateOf(a);
    const u1Id = readEnvelopeHeader(u2).prev; // u2 names u1
    const seq = readEnvelopeHeader(u1).seq + 1;
    const report = await a.peer.receive([
      forged(b, evil, seq, u1Id),
      forged(b, evil, seq + 1, u1Id, 'checkpoint'),
    ]);
    expect(report).toMatchObject({ accepted: 0, rejected: { 'revoked-device': 2 } });
    expect(await stateOf(a)).toEqual(before);
  });

  it('refuses everything of a device removed before anything of it was accepted', async () => {
    const [a, b] = (await replicas(2)) as [Replica, Replica];
    await b.vault.set('from-b', 1);
    expect(
      await a.vault.members.revokeDevice(b.device.id, { seq: 0, envelope: null }, a.device.id),
    ).toBe(true);
    const before = await stateOf(a);
    const report = await a.peer.receive(b.outbox);
    expect(report).toMatchObject({ accepted: 0, rejected: { 'revoked-device': 1 } });
    expect(await stateOf(a)).toEqual(before);
  });
});

describe('what a removed device wrote before its removal still stands', () => {
  it('reaches a third device late, in any order, while its later writes do not', async () => {
    const { a, b, c, u1, u2, evil } = await removedDevice();
    // c learns the device list, and b's removal, from a's own envelopes (not b's content).
    expect((await c.peer.receive(a.outbox)).rejected).toEqual({});
    expect(c.vault.members.authorStatus(b.device.id)).toBe('revoked');
    // An attacker's new chain, and a fork of u1, before c can tell where b's chain starts.
    let now = 1;
    const client = attackerClient(b, () => now++);
    const early = await c.peer.receive([
      client.sealChange(evil).bytes,
      u1,
      forged(b, evil, readEnvelopeHeader(u1).seq + 1, new Uint8Array(32)),
    ]);
    expect(early).toMatchObject({ accepted: 0, held: 3, rejected: {} });
    expect(await contents(c.vault)).toEqual({});
    // The removal point arrives: u2, then u1 from the hold; the rest is refused.
    const late = await c.peer.receive([u2]);
    expect(late).toMatchObject({ accepted: 2, held: 0, rejected: { 'revoked-device': 2 } });
    expect(await contents(c.vault)).toEqual({
      'from-b': 'before removal',
      'from-b-2': 'before removal too',
    });
    // And later tries change nothing.
    const after = await c.peer.receive([b.peer.sealChange(evil).bytes, u1, u2]);
    expect(after).toMatchObject({ accepted: 0, rejected: { 'revoked-device': 1 } });
    expect(await contents(c.vault)).toEqual({
      'from-b': 'before removal',
      'from-b-2': 'before removal too',
    });
  });

  it('a fork of the removal point’s predecessor is refused at once where the chain is half known', async () => {
    const { a, b, c, u1, u2, evil } = await removedDevice();
    await c.peer.receive(a.outbox);
    expect((await c.peer.receive([u2])).accepted).toBe(1);
    // c knows u2 and that u1 came before it: another child of u1 is a fork.
    const fork = forged(b, evil, readEnvelopeHeader(u2).seq + 5, readEnvelopeHeader(u2).prev);
    const report = await c.peer.receive([fork]);
    expect(report).toMatchObject({ accepted: 0, held: 0, rejected: { 'revoked-device': 1 } });
    expect((await c.peer.receive([u1])).accepted).toBe(1);
    expect(await contents(c.vault)).toEqual({
      'from-b': 'before removal',
      'from-b-2': 'before removal too',
    });
  });

  it('holds at most maxHeld of a removed device’s unplaceable envelopes, counting the dropped ones', async () => {
    const { a, b, c, evil } = await removedDevice();
    const small = new SyncPeer({ vault: c.vault, device: c.device, maxHeld: 3 });
    await small.receive(a.outbox);
    const junk = Array.from({ length: 5 }, (_, i) =>
      forged(b, evil, 10 + i, new Uint8Array(32).fill(i + 1)),
    );
    const report = await small.receive(junk);
    expect(report).toMatchObject({ accepted: 0, held: 3, rejected: { 'revoked-device': 2 } });
    expect(await contents(c.vault)).toEqual({});
  });
});
