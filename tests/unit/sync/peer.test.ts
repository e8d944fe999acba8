import { deflateRawSync } from 'node:zlib';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { concat, generateKey, sealBulk, u32be } from '../../../src/core/crypto';
import { generateDeviceIdentity, signAs } from '../../../src/core/device';
import { sealBulkPayload } from '../../../src/core/sync/bulk-payload';
import { readEnvelopeHeader, sealEnvelope } from '../../../src/core/sync/envelope';
import { syncKeyOf } from '../../../src/core/sync/keys';
import { vaultKeyOf } from '../../../src/core/vault';
import { contents, deliverAll, replicas } from './support';

describe('SyncPeer: what a device accepts from others', () => {
  it('applies a peer’s changes, and saves them so they survive reopening', async () => {
    const [a, b] = await replicas(2);
    await a!.vault.set('API_KEY', 'sk-live-1', { kind: 'secret' });
    await a!.vault.set('config', { port: 8080 });
    const report = await deliverAll(a!, b!);
    expect(report.accepted).toBeGreaterThan(0);
    expect(report.rejected).toEqual({});
    expect(await contents(b!.vault)).toEqual({ API_KEY: 'sk-live-1', config: { port: 8080 } });
    await b!.reopen();
    expect(await contents(b!.vault)).toEqual({ API_KEY: 'sk-live-1', config: { port: 8080 } });
  });

  it('takes a large change (hashed natively before the checks), and refuses it flipped', async () => {
    const [a, b] = await replicas(2);
    await a!.vault.set('big', 'x'.repeat(100_000));
    const big = a!.outbox.at(-1)!;
    expect(big.length).toBeGreaterThan(64 * 1024);
    const flipped = big.slice();
    flipped[1000]! ^= 1;
    const refused = await b!.peer.receive([flipped]);
    expect(refused.accepted).toBe(0);
    expect(await contents(b!.vault)).toEqual({});
    await deliverAll(a!, b!);
    expect(await b!.vault.get('big')).toBe('x'.repeat(100_000));
  });

  it('ignores duplicates and replays: the second delivery applies nothing', async () => {
    const [a, b] = await replicas(2);
    await a!.vault.set('x', 1);
    await deliverAll(a!, b!);
    const stored = b!.vault.storedBytes;
    const again = await b!.peer.receive([...a!.outbox, ...a!.outbox]);
    expect(again.accepted).toBe(0);
    expect(b!.vault.storedBytes).toBe(stored);
    expect(await contents(b!.vault)).toEqual({ x: 1 });
  });

  it('refuses garbage, truncated, flipped, re-signed and foreign envelopes, and changes nothing', async () => {
    const [a, b] = await replicas(2);
    await a!.vault.set('kept', 'yes');
    await deliverAll(a!, b!);
    await a!.vault.set('kept', 'changed by a');
    const good = a!.outbox.at(-1)!;
    const before = await contents(b!.vault);

    const flipped = good.slice();
    flipped[good.length - 100]! ^= 1;
    const rogue = generateDeviceIdentity();
    // a's change signed by someone else, author unchanged.
    const forged = concat(good.subarray(0, good.length - 64), new Uint8Array(64).fill(7));
    // a's change claimed by b, a member, and properly signed by b: the seal binds its author.
    const claimed = good.slice(0, good.length - 64);
    claimed.set(b!.device.publicKey, 22);
    const resigned = concat(claimed, signAs(b!.device, 'sync-envelope', sha256(claimed)));
    const otherVault = (await replicas(1, 'other'))[0]!;
    await otherVault.vault.set('kept', 'from another vault');
    const foreign = otherVault.outbox.at(-1)!;
    // A device with this vault's key that is not in the device list.
    const outsider = sealEnvelope({
      kind: 'update',
      vaultId: a!.vault.id,
      author: rogue,
      seq: 5,
      syncKey: syncKeyOf(vaultKeyOf(a!.vault)),
      update: new Uint8Array([0, 0]),
    });
    // A device in the list, but sealing with a key that is not the vault's (nor of any epoch).
    const wrongKey = sealEnvelope({
      kind: 'update',
      vaultId: a!.vault.id,
      author: a!.device,
      seq: readEnvelopeHeader(good).seq + 1,
      syncKey: syncKeyOf(generateKey('vault')),
      update: new Uint8Array([0, 0]),
    });

    const report = await b!.peer.receive([
      new Uint8Array([1, 2, 3]),
      good.subarray(0, good.length - 1),
      good.subarray(0, 100),
      flipped,
      forged,
      resigned,
      foreign,
      outsider,
      wrongKey,
      new Uint8Array(5000),
    ]);
    expect(report.accepted).toBe(0);
    expect(report.rejected).toEqual({
      malformed: 3,
      'bad-signature': 3,
      authentication: 1,
      'wrong-vault': 1,
    });
    // The outsider waits in case the device list admits it; the member's envelope under a key
    // this device does not hold waits in case a key epoch record brings that key.
    expect(report.held).toBe(2);
    expect(b!.peer.heldForKeys).toBe(1);
    expect(await contents(b!.vault)).toEqual(before);
    // And the real change still goes through.
    expect((await b!.peer.receive([good])).accepted).toBe(1);
    expect(await contents(b!.vault)).toEqual({ kept: 'changed by a' });
  });

  it('refuses a member’s deflated checkpoint that does not inflate as it says, and changes nothing', async () => {
    const [a, b] = await replicas(2);
    await a!.vault.set('kept', 'yes');
    await deliverAll(a!, b!);
    const before = await contents(b!.vault);
    const state = a!.vault.encodeState();
    // a, a member holding the sync key, frames its own state with a length one byte short:
    // authentic and signed, but not what version 0x04 allows.
    const deflated = new Uint8Array(deflateRawSync(concat(u32be(0), state)));
    const framed = new Uint8Array(Math.ceil((8 + deflated.length) / 4096) * 4096);
    framed.set(concat(u32be(4 + state.length - 1), u32be(deflated.length), deflated));
    const sealing = {
      kind: 'checkpoint' as const,
      vaultId: a!.vault.id,
      author: a!.device,
      seq: readEnvelopeHeader(a!.outbox.at(-1)!).seq + 1,
      syncKey: syncKeyOf(vaultKeyOf(a!.vault)),
    };
    const bad = sealEnvelope({ ...sealing, bulk: { ...(await sealBulk(framed)), deflated: true } });
    const report = await b!.peer.receive([bad]);
    expect([report.accepted, report.rejected]).toEqual([0, { malformed: 1 }]);
    expect(await contents(b!.vault)).toEqual(before);
    // The same state, sealed as Coffer seals it, is taken.
    await a!.vault.set('kept', 'changed by a');
    const good = sealEnvelope({
      ...sealing,
      seq: sealing.seq + 1,
      bulk: await sealBulkPayload(a!.vault.encodeState()),
    });
    expect((await b!.peer.receive([good])).accepted).toBe(1);
    expect(await contents(b!.vault)).toEqual({ kept: 'changed by a' });
  });

  it('holds a new device’s changes until the change that admits it arrives', async () => {
    const [a, b, c] = await replicas(3);
    // c's first change reaches b before a's change that admitted c does.
    await c!.vault.set('from-c', 1);
    const early = await b!.peer.receive(c!.outbox);
    expect(early).toMatchObject({ accepted: 0, held: 1 });
    expect(await contents(b!.vault)).toEqual({});
    const late = await deliverAll(a!, b!);
    expect(late.held).toBe(0);
    expect(await contents(b!.vault)).toEqual({ 'from-c': 1 });
  });

  it('refuses a removed device’s later changes everywhere, and keeps its earlier ones', async () => {
    const [a, b, c] = await replicas(3);
    await c!.vault.set('before', 1);
    await a!.peer.receive(c!.outbox);
    const last = a!.peer.lastAcceptedOf(c!.device.id)!;
    await a!.vault.members.revokeDevice(c!.device.id, last, a!.device.id);
    await c!.vault.set('after', 2);
    await deliverAll(a!, b!);
    const report = await b!.peer.receive(c!.outbox);
    expect(report.rejected).toEqual({ 'revoked-device': 1 });
    expect(await contents(b!.vault)).toEqual({ before: 1 });
    expect(await contents(a!.vault)).toEqual({ before: 1 });
  });
});

describe('edits made apart are marked for review', () => {
  it('marks an entry both devices changed while apart, on both, and keeps both changes', async () => {
    const [a, b] = await replicas(2);
    await a!.vault.set('db', { host: 'h' });
    await a!.vault.set('other', 1);
    await deliverAll(a!, b!);
    await b!.peer.receive([]);
    // Apart: a renames "db", b changes its value; "other" is changed only by a.
    await a!.vault.rename('db', 'database');
    await a!.vault.set('other', 2);
    await b!.vault.set('db', { host: 'h2' });
    await b!.peer.receive(a!.outbox);
    await a!.peer.receive(b!.outbox);
    expect(await contents(a!.vault)).toEqual({ database: { host: 'h2' }, other: 2 });
    expect(await contents(b!.vault)).toEqual(await contents(a!.vault));
    expect(b!.vault.reviews().map((review) => review.name)).toEqual(['database']);
    expect(a!.vault.reviews().map((review) => review.name)).toEqual(['database']);
  });

  it('does not mark changes made in sight of each other', async () => {
    const [a, b] = await replicas(2);
    await a!.vault.set('db', 1);
    await deliverAll(a!, b!);
    await b!.vault.set('db', 2);
    await a!.peer.receive(b!.outbox);
    await a!.vault.set('db', 3);
    await b!.peer.receive(a!.outbox);
    expect(await contents(b!.vault)).toEqual({ db: 3 });
    expect(a!.vault.reviews()).toEqual([]);
    expect(b!.vault.reviews()).toEqual([]);
  });
});
