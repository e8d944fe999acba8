import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { asKey, bytesEqual, keyIdOf, purposeOf } from '../../../src/core/crypto';
import {
  EpochNotForThisDeviceError,
  EpochUnexpectedSignerError,
  EpochWrongVaultError,
  openEpochRecord,
  rotateEpoch,
  verifyEpochRecord,
} from '../../../src/core/epochs';
import { deviceIdOf } from '../../../src/core/ids';
import { causeOf, idsOf, seededRandom, testDevice, testDevices, vaultA, vaultB } from './support';

const signer = testDevice(0);
const cause = causeOf('remove device 3');

describe('rotateEpoch and openEpochRecord', () => {
  it('round trip with one device: the genesis record (epoch 0) opens to the same key', async () => {
    const rotated = await rotateEpoch({
      vaultId: vaultA,
      previous: undefined,
      cause,
      devices: [signer.id],
      signer,
    });
    expect(rotated.epoch).toBe(0);
    expect(purposeOf(rotated.key)).toBe('vault');
    const opened = await openEpochRecord(rotated.record, { vaultId: vaultA, device: signer });
    expect(opened.epoch).toBe(0);
    expect(bytesEqual(opened.key, rotated.key)).toBe(true);
    expect(purposeOf(opened.key)).toBe('vault');
    expect(opened.previousKey).toBeUndefined();
    expect(opened.signer).toBe(signer.id);
    expect(bytesEqual(opened.cause, cause)).toBe(true);
    expect(opened.recipients).toEqual([signer.id]);
  });

  it('round trip with 40 devices: each opens the new key and the previous one', async () => {
    const devices = testDevices(40);
    const previousKey = asKey(new Uint8Array(32).fill(7), 'vault');
    const rotated = await rotateEpoch({
      vaultId: vaultA,
      previous: { epoch: 6, key: previousKey },
      cause,
      devices: idsOf(devices),
      signer,
    });
    expect(rotated.epoch).toBe(7);
    // 125 header, 4 + 90 history, 4 + 40 x 158 recipients, 64 signature.
    expect(rotated.record.length).toBe(125 + 4 + 90 + 4 + 40 * 158 + 64);
    const info = await verifyEpochRecord(rotated.record, { vaultId: vaultA });
    expect([...info.recipients].sort()).toEqual(idsOf(devices).sort());
    for (const device of devices) {
      const opened = await openEpochRecord(rotated.record, { vaultId: vaultA, device });
      expect(bytesEqual(opened.key, rotated.key)).toBe(true);
      expect(bytesEqual(opened.previousKey!, previousKey)).toBe(true);
      expect(opened.epoch).toBe(7);
    }
  });

  it('a device not in the list cannot open it with its genuine keys', async () => {
    const outsider = testDevice(99);
    const { record } = await rotateEpoch({
      vaultId: vaultA,
      previous: undefined,
      cause,
      devices: idsOf(testDevices(3)),
      signer,
    });
    const error = await openEpochRecord(record, { vaultId: vaultA, device: outsider }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EpochNotForThisDeviceError);
    expect(error).toMatchObject({ code: 'epoch-not-for-device', device: outsider.id, epoch: 0 });
  });

  it('an outsider that copies a member’s slot id still cannot open the key (its secret differs)', async () => {
    // The slot is found by device id; an outsider claiming a member's id has that member's
    // public key but its own secret: the X25519 agreement gives another wrap key.
    const [member] = testDevices(1, 10);
    const outsider = testDevice(98);
    const { record } = await rotateEpoch({
      vaultId: vaultA,
      previous: undefined,
      cause,
      devices: [member!.id],
      signer,
    });
    const impostor = { ...outsider, id: member!.id, publicKey: member!.publicKey };
    await expect(
      openEpochRecord(record, { vaultId: vaultA, device: impostor }),
    ).rejects.toMatchObject({ code: 'epoch-record-damaged', part: 'wrapped-key' });
  });

  it('a removed device cannot open the new key, though it holds the previous one', async () => {
    const devices = testDevices(4);
    const removed = devices[3]!;
    const first = await rotateEpoch({
      vaultId: vaultA,
      previous: undefined,
      cause: causeOf('create'),
      devices: idsOf(devices),
      signer,
    });
    const held = await openEpochRecord(first.record, { vaultId: vaultA, device: removed });
    expect(bytesEqual(held.key, first.key)).toBe(true);
    const second = await rotateEpoch({
      vaultId: vaultA,
      previous: { epoch: 0, key: first.key },
      cause,
      devices: idsOf(devices.slice(0, 3)),
      signer,
    });
    await expect(
      openEpochRecord(second.record, { vaultId: vaultA, device: removed }),
    ).rejects.toBeInstanceOf(EpochNotForThisDeviceError);
    // Nothing in the new record is under the old key: the history is sealed under the new one.
    expect(bytesEqual(keyIdOf(second.key), keyIdOf(first.key))).toBe(false);
    const { openPreviousKey } = await import('../../../src/core/epochs');
    await expect(
      openPreviousKey(second.record, { vaultId: vaultA, key: held.key }),
    ).rejects.toMatchObject({ code: 'epoch-key-mismatch', epoch: 1 });
  });

  it('refuses another vault’s record and an unexpected signer', async () => {
    const { record } = await rotateEpoch({
      vaultId: vaultA,
      previous: undefined,
      cause,
      devices: [signer.id],
      signer,
    });
    const wrongVault = await openEpochRecord(record, { vaultId: vaultB, device: signer }).catch(
      (e: unknown) => e,
    );
    expect(wrongVault).toBeInstanceOf(EpochWrongVaultError);
    expect(wrongVault).toMatchObject({ expected: vaultB, actual: vaultA });
    const other = testDevice(5).id;
    const wrongSigner = await verifyEpochRecord(record, {
      vaultId: vaultA,
      expectedSigner: other,
    }).catch((e: unknown) => e);
    expect(wrongSigner).toBeInstanceOf(EpochUnexpectedSignerError);
    expect(wrongSigner).toMatchObject({ expected: other, actual: signer.id });
    await expect(
      verifyEpochRecord(record, { vaultId: vaultA, expectedSigner: signer.id }),
    ).resolves.toMatchObject({ epoch: 0, signer: signer.id });
  });

  it('the same inputs and randomness give the same bytes, whatever the device order', async () => {
    const devices = idsOf(testDevices(5));
    const make = (order: string[]) =>
      rotateEpoch({
        vaultId: vaultA,
        previous: undefined,
        cause,
        devices: order as typeof devices,
        signer,
        random: seededRandom('determinism'),
      });
    const a = await make(devices);
    const b = await make([...devices].reverse());
    expect(bytesEqual(a.record, b.record)).toBe(true);
    expect(bytesEqual(a.key, b.key)).toBe(true);
    const c = await rotateEpoch({ vaultId: vaultA, previous: undefined, cause, devices, signer });
    expect(bytesEqual(a.record, c.record)).toBe(false);
  });

  it('does not modify its inputs', async () => {
    const devices = idsOf(testDevices(3));
    const devicesCopy = [...devices];
    const previousKey = asKey(new Uint8Array(32).fill(9), 'vault');
    const causeCopy = cause.slice();
    await rotateEpoch({
      vaultId: vaultA,
      previous: { epoch: 0, key: previousKey },
      cause,
      devices,
      signer,
    });
    expect(devices).toEqual(devicesCopy);
    expect(previousKey.every((byte) => byte === 9)).toBe(true);
    expect(bytesEqual(cause, causeCopy)).toBe(true);
  });

  it('yields between recipients when asked, and gives the same record', async () => {
    let yields = 0;
    const options = {
      vaultId: vaultA,
      previous: undefined,
      cause,
      devices: idsOf(testDevices(9)),
      signer,
    };
    const plain = await rotateEpoch({ ...options, random: seededRandom('yield') });
    const sliced = await rotateEpoch({
      ...options,
      random: seededRandom('yield'),
      recipientsPerSlice: 2,
      yieldToEventLoop: async () => {
        yields++;
      },
    });
    // Before recipients 3, 5, 7 and 9, and before signing.
    expect(yields).toBe(5);
    expect(bytesEqual(plain.record, sliced.record)).toBe(true);
  });

  it('rejects bad input, asynchronously, naming what is wrong', async () => {
    const base = { vaultId: vaultA, previous: undefined, cause, devices: [signer.id], signer };
    const call = (patch: object) => rotateEpoch({ ...base, ...patch } as typeof base);
    await expect(call({ devices: [] })).rejects.toThrow(/1 to 1000 devices/);
    await expect(call({ devices: [signer.id, signer.id] })).rejects.toThrow(/listed twice/);
    await expect(call({ devices: ['nope'] })).rejects.toMatchObject({ code: 'invalid-id' });
    await expect(call({ cause: new Uint8Array(31) })).rejects.toThrow(/32 bytes, got 31/);
    await expect(call({ vaultId: 'x' })).rejects.toMatchObject({ code: 'invalid-id' });
    await expect(
      call({ previous: { epoch: 0, key: asKey(new Uint8Array(32), 'storage') } }),
    ).rejects.toThrow(/vault key/);
    await expect(
      call({ previous: { epoch: -1, key: asKey(new Uint8Array(32), 'vault') } }),
    ).rejects.toThrow(/previous epoch/);
    await expect(call({ random: () => new Uint8Array(3) })).rejects.toThrow(/random source/);
    // A small-order point (the identity, y = 1) and bytes that are not a point at all.
    const identity = new Uint8Array(32);
    identity[0] = 1;
    await expect(call({ devices: [deviceIdOf(identity)] })).rejects.toThrow(/small-order/);
    const notAPoint = new Uint8Array(32).fill(0xff);
    notAPoint[31] = 0x7f;
    expect(() => ed25519.Point.fromBytes(notAPoint)).toThrow();
    await expect(call({ devices: [deviceIdOf(notAPoint)] })).rejects.toThrow(/not a valid/);
  });
});
