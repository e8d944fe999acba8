import { describe, expect, it } from 'vitest';
import { asKey, concat } from '../../../src/core/crypto';
import { signAs } from '../../../src/core/device';
import {
  EpochError,
  openEpochRecord,
  rotateEpoch,
  verifyEpochRecord,
} from '../../../src/core/epochs';
import { encodeBody, epochSignatureDomain } from '../../../src/core/epochs/format';
import { causeOf, seededRandom, testDevice, vaultA } from './support';

const signer = testDevice(0);
const member = testDevice(1);

async function smallRecord() {
  return rotateEpoch({
    vaultId: vaultA,
    previous: { epoch: 2, key: asKey(new Uint8Array(32).fill(3), 'vault') },
    cause: causeOf('tamper'),
    devices: [member.id],
    signer,
    random: seededRandom('tamper'),
  });
}

describe('a modified epoch record is refused', () => {
  // About 900 signature checks: seconds on a busy machine, so a longer timeout than the suite's.
  it('flipping any one bit of any byte is detected, by the verifier and by the recipient', {
    timeout: 120_000,
  }, async () => {
    const { record } = await smallRecord();
    await expect(
      openEpochRecord(record, { vaultId: vaultA, device: member }),
    ).resolves.toBeTruthy();
    const codes = new Map<string, number>();
    for (let i = 0; i < record.length; i++) {
      const bent = record.slice();
      bent[i] = bent[i]! ^ (1 << (i % 8));
      for (const attempt of [
        verifyEpochRecord(bent, { vaultId: vaultA }),
        openEpochRecord(bent, { vaultId: vaultA, device: member }),
      ]) {
        const error = await attempt.then(
          () => new Error(`byte ${i}: a modified record was accepted`),
          (e: unknown) => e,
        );
        expect(error, `byte ${i}`).toBeInstanceOf(EpochError);
        const code = (error as EpochError).code;
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    }
    // Layout checks catch some bytes, the vault check the vault id, the signature the rest.
    expect([...codes.keys()].sort()).toEqual([
      'epoch-bad-signature',
      'epoch-record-malformed',
      'epoch-record-unsupported',
      'epoch-wrong-vault',
    ]);
  });

  it('truncated, extended and empty records are malformed', async () => {
    const { record } = await smallRecord();
    for (const bytes of [
      record.subarray(0, record.length - 1),
      concat(record, new Uint8Array(1)),
      new Uint8Array(0),
      record.subarray(0, 4),
      record.subarray(0, 200),
    ]) {
      await expect(verifyEpochRecord(bytes, { vaultId: vaultA })).rejects.toMatchObject({
        code: 'epoch-record-malformed',
      });
    }
    await expect(
      verifyEpochRecord('nope' as unknown as Uint8Array, { vaultId: vaultA }),
    ).rejects.toMatchObject({ code: 'epoch-record-malformed', reason: 'not-bytes' });
  });

  it('a correctly signed record whose slot or history does not open is reported as damaged', async () => {
    const { record } = await smallRecord();
    const { decodeRecord } = await import('../../../src/core/epochs/format');
    const { fields } = decodeRecord(record);
    const resign = (patch: Partial<typeof fields>) => {
      const body = encodeBody({ ...fields, ...patch });
      return concat(body, signAs(signer, epochSignatureDomain, body));
    };
    const badSlot = fields.recipients.map((slot) => ({
      ...slot,
      wrapped: slot.wrapped.map((byte, i) => (i === 60 ? byte ^ 1 : byte)),
    }));
    await expect(
      openEpochRecord(resign({ recipients: badSlot }), { vaultId: vaultA, device: member }),
    ).rejects.toMatchObject({ code: 'epoch-record-damaged', part: 'wrapped-key', epoch: 3 });
    const badHistory = fields.history.map((byte, i) => (i === 50 ? byte ^ 1 : byte));
    await expect(
      openEpochRecord(resign({ history: badHistory }), { vaultId: vaultA, device: member }),
    ).rejects.toMatchObject({ code: 'epoch-record-damaged', part: 'history' });
    // The key id in the header must be the sealed key's.
    await expect(
      openEpochRecord(resign({ keyId: new Uint8Array(16).fill(1) }), {
        vaultId: vaultA,
        device: member,
      }),
    ).rejects.toMatchObject({ code: 'epoch-record-damaged', part: 'wrapped-key' });
    await expect(
      openEpochRecord(resign({ previousKeyId: new Uint8Array(16).fill(1) }), {
        vaultId: vaultA,
        device: member,
      }),
    ).rejects.toMatchObject({ code: 'epoch-record-damaged', part: 'history' });
    // A slot moved to another epoch number does not open there (its context names the epoch).
    await expect(
      openEpochRecord(resign({ epoch: 4 }), { vaultId: vaultA, device: member }),
    ).rejects.toMatchObject({ code: 'epoch-record-damaged', part: 'wrapped-key' });
  });

  it('errors carry data but no key material', async () => {
    const { record, key } = await smallRecord();
    const bent = record.slice();
    bent[record.length - 1] = bent[record.length - 1]! ^ 1;
    const error = (await verifyEpochRecord(bent, { vaultId: vaultA }).catch((e) => e)) as Error;
    expect(error).toMatchObject({ code: 'epoch-bad-signature', signer: signer.id, epoch: 3 });
    const text = JSON.stringify({ ...error, message: error.message });
    expect(text).not.toContain(Buffer.from(key).toString('hex'));
    expect(text).not.toContain(Buffer.from(key).toString('base64url'));
  });
});
