import { describe, expect, it } from 'vitest';
import { asKey, bytesEqual, type VaultKey } from '../../../src/core/crypto';
import {
  openEpochRecord,
  openPreviousKey,
  rotateEpoch,
  walkEpochHistory,
} from '../../../src/core/epochs';
import { causeOf, idsOf, testDevice, testDevices, vaultA, vaultB } from './support';

const signer = testDevice(0);

/**
 * A vault created before epochs (its key is epoch 0's, with no record), then four removals:
 * devices 0..5, and each rotation leaves one more out.
 */
async function chain() {
  const devices = testDevices(6);
  const keys: VaultKey[] = [asKey(new Uint8Array(32).fill(42), 'vault')];
  const records: Uint8Array[] = [];
  for (let epoch = 1; epoch <= 4; epoch++) {
    const rotated = await rotateEpoch({
      vaultId: vaultA,
      previous: { epoch: epoch - 1, key: keys[epoch - 1]! },
      cause: causeOf(`removal ${epoch}`),
      devices: idsOf(devices.slice(0, 6 - epoch)),
      signer,
    });
    keys.push(rotated.key);
    records.push(rotated.record);
  }
  return { devices, keys, records };
}

describe('the history chain', () => {
  it('with key N you open N - 1, N - 2, ... back to the start', async () => {
    const { keys, records } = await chain();
    // Given out of order: the walk finds each record by its key id.
    const walked = await walkEpochHistory([...records].reverse(), {
      vaultId: vaultA,
      latest: { epoch: 4, key: keys[4]! },
    });
    expect(walked.map((k) => k.epoch)).toEqual([4, 3, 2, 1, 0]);
    for (const { epoch, key } of walked) expect(bytesEqual(key, keys[epoch]!)).toBe(true);
    // One step at a time, as a device would while reading old rows.
    let key = keys[4]!;
    for (let epoch = 4; epoch >= 1; epoch--) {
      const step = await openPreviousKey(records[epoch - 1]!, { vaultId: vaultA, key });
      expect(step.epoch).toBe(epoch);
      expect(bytesEqual(step.previousKey!, keys[epoch - 1]!)).toBe(true);
      key = step.previousKey!;
    }
  });

  it('a device that joins late (only in the last epoch) reads all history', async () => {
    const { keys, records } = await chain();
    const late = testDevice(50);
    const rotated = await rotateEpoch({
      vaultId: vaultA,
      previous: { epoch: 4, key: keys[4]! },
      cause: causeOf('late join and removal'),
      devices: [late.id],
      signer,
    });
    const opened = await openEpochRecord(rotated.record, { vaultId: vaultA, device: late });
    const walked = await walkEpochHistory([...records, rotated.record], {
      vaultId: vaultA,
      latest: { epoch: opened.epoch, key: opened.key },
    });
    expect(walked.map((k) => k.epoch)).toEqual([5, 4, 3, 2, 1, 0]);
    expect(bytesEqual(walked[5]!.key, keys[0]!)).toBe(true);
  });

  it('each removed device opens its last epoch and none after it', async () => {
    const { devices, records } = await chain();
    // Device 5 left at epoch 1, device 4 at 2, ...: device d opens records up to epoch 5 - d.
    for (let d = 2; d < 6; d++) {
      for (let epoch = 1; epoch <= 4; epoch++) {
        const attempt = openEpochRecord(records[epoch - 1]!, {
          vaultId: vaultA,
          device: devices[d]!,
        });
        if (epoch <= 5 - d) await expect(attempt).resolves.toMatchObject({ epoch });
        else await expect(attempt).rejects.toMatchObject({ code: 'epoch-not-for-device' });
      }
    }
  });

  it('stops where it should, and refuses a chain out of step', async () => {
    const { keys, records } = await chain();
    // Only records 3 and 4: the walk from key 4 ends at key 2 (no record for it here).
    const partial = await walkEpochHistory(records.slice(2), {
      vaultId: vaultA,
      latest: { epoch: 4, key: keys[4]! },
    });
    expect(partial.map((k) => k.epoch)).toEqual([4, 3, 2]);
    await expect(
      walkEpochHistory(records.slice(0, 2), {
        vaultId: vaultA,
        latest: { epoch: 4, key: keys[4]! },
      }),
    ).rejects.toMatchObject({ code: 'epoch-chain-broken', reason: 'no-record-for-key' });
    await expect(
      walkEpochHistory(records, { vaultId: vaultA, latest: { epoch: 7, key: keys[4]! } }),
    ).rejects.toMatchObject({ code: 'epoch-chain-broken', reason: 'epoch-out-of-step' });
    await expect(
      walkEpochHistory(records, { vaultId: vaultB, latest: { epoch: 4, key: keys[4]! } }),
    ).rejects.toMatchObject({ code: 'epoch-wrong-vault' });
    await expect(
      openPreviousKey(records[3]!, { vaultId: vaultA, key: keys[3]! }),
    ).rejects.toMatchObject({ code: 'epoch-key-mismatch', epoch: 4 });
  });

  it('a genesis record (epoch 0) ends the walk', async () => {
    const members = testDevices(2);
    const genesis = await rotateEpoch({
      vaultId: vaultA,
      previous: undefined,
      cause: causeOf('create'),
      devices: idsOf(members),
      signer,
    });
    const next = await rotateEpoch({
      vaultId: vaultA,
      previous: { epoch: 0, key: genesis.key },
      cause: causeOf('remove 1'),
      devices: [members[0]!.id],
      signer,
    });
    const walked = await walkEpochHistory([genesis.record, next.record], {
      vaultId: vaultA,
      latest: { epoch: 1, key: next.key },
    });
    expect(walked.map((k) => k.epoch)).toEqual([1, 0]);
    const step = await openPreviousKey(genesis.record, { vaultId: vaultA, key: genesis.key });
    expect(step.previousKey).toBeUndefined();
  });
});
