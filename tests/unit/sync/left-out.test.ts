/**
 * A removed device that missed its removal (docs/sync.md, "Key epochs"): the envelope that
 * carried the removal is readable by it only until the remover's next checkpoint, sealed under
 * the new key, replaces it. The newer key's record, in the clear in the room, says the rest:
 * made without this device, by a member that may remove it, for a change it does not have.
 */

import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { randomBytes, toBase64url } from '../../../src/core/crypto';
import { asMembershipOperationId, rotateEpoch } from '../../../src/core/epochs';
import { ENVELOPES_MAP } from '../../../src/core/sync';
import { ROOM_EPOCHS_MAP } from '../../../src/core/sync/epoch-keys';
import { vaultKeyOf } from '../../../src/core/vault';
import { eventually, memoryNetwork } from '../../support/memory-transport';
import { type Device, founded, joined, memberOf, team } from './team-support';

/** The keys `author` has in `room`'s copy of the envelope map. */
const keysOf = (room: Device, author: Device) =>
  [...room.room!.getMap(ENVELOPES_MAP).keys()].filter((key) => key.startsWith(`${author.id}.`));

describe('a removed device that was away when it was removed', () => {
  it('learns it was removed from the new key’s record, and opens nothing new', async () => {
    const network = memoryNetwork();
    const { a, b, c, d } = await team(network);
    network.setOnline(c.room!, false);
    expect(await a.sync!.removeDevice(c.id)).toBe(true);
    await eventually(
      () => a.sync!.epoch > 0 && b.sync!.epoch === a.sync!.epoch && d.sync!.epoch === a.sync!.epoch,
    );
    // The envelope that carried the removal is gone from the room: a's checkpoint under the
    // new key replaced it.
    await eventually(() => keysOf(a, a).length === 1 && keysOf(a, a)[0] === `${a.id}.c`);
    await a.vault!.set('AFTER', 'rotated');
    expect(c.sync!.status().membership).toBe('member');
    network.setOnline(c.room!, true);
    await eventually(() => c.sync!.status().membership === 'removed');
    // It still thinks it is in its own copy of the log: only the record told it.
    expect(c.sync!.team.me()).toBeDefined();
    expect(await c.vault!.has('AFTER')).toBe(false);
    // The others are not misled by the same record.
    for (const x of [a, b, d]) expect(x.sync!.status().membership).toBe('member');
  }, 30_000);

  it('an owner’s second device, removed by the first while away, learns it from the record too', async () => {
    // The removal operation itself can be sealed under the new key when the remover's rotation
    // wins the race with sealing it (a slow IndexedDB commit): then the record is all the
    // removed device can read. Nobody manages an owner, so the record counts because its
    // signer is a device of the removed device's own member (seen in an e2e run under load).
    const network = memoryNetwork();
    const a = await founded(network);
    await a.vault!.set('API_KEY', 'sk-1', { kind: 'secret' });
    const invite = await a.sync!.createInvite({
      expiresInMs: 60_000,
      singleUse: true,
      ownDevice: true,
    });
    const phone = await joined(invite.token, network);
    await eventually(() => phone.sync!.status().membership === 'member');
    expect(memberOf(a, phone)?.id).toBe(memberOf(a, a)?.id);
    expect(memberOf(a, a)?.role).toBe('owner');
    network.setOnline(phone.room!, false);
    expect(await a.sync!.removeDevice(phone.id)).toBe(true);
    await eventually(() => a.sync!.epoch > 0);
    await eventually(() => keysOf(a, a).length === 1 && keysOf(a, a)[0] === `${a.id}.c`);
    await a.vault!.set('AFTER', 'rotated');
    expect(phone.sync!.status().membership).toBe('member');
    network.setOnline(phone.room!, true);
    await eventually(() => phone.sync!.status().membership === 'removed');
    // Only the record told it: its own copy of the log still has it.
    expect(phone.sync!.team.me()).toBeDefined();
    expect(await phone.vault!.has('AFTER')).toBe(false);
    expect(a.sync!.status().membership).toBe('member');
  }, 30_000);

  it('a newer record without a viewer counts only if signed by a member that may remove it', async () => {
    const network = memoryNetwork();
    const { a, b, c } = await team(network);
    // Put in b's copy of the room alone (b away), so no other device reacts to the records.
    network.setOnline(b.room!, false);
    const recordFor = (signer: Device) =>
      rotateEpoch({
        vaultId: b.vault!.id,
        previous: { epoch: 7, key: vaultKeyOf(b.vault!) },
        cause: asMembershipOperationId(randomBytes(32)),
        devices: [a.id, c.id],
        signer: signer.identity,
      });
    const put = (record: Uint8Array) => {
      const id = toBase64url(sha256(record));
      b.room!.getMap(ROOM_EPOCHS_MAP).set(id, record);
      return id;
    };
    // c, an editor on a modified client, signs a newer key for everyone but b (a viewer), for
    // a change nobody has: b reads the record and stays a member.
    const forged = put((await recordFor(c)).record);
    await eventually(() => b.vault!.team.epochRecords().some((r) => r.id === forged));
    expect(b.sync!.status().membership).toBe('member');
    // The same from the owner, who may remove b, tells b it was left out.
    const genuine = put((await recordFor(a)).record);
    await eventually(() => b.vault!.team.epochRecords().some((r) => r.id === genuine));
    expect(b.sync!.status().membership).toBe('removed');
  }, 30_000);
});
