import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  type BulkKey,
  MalformedEnvelopeError,
  openBulk,
  sealBulk,
} from '../../../src/core/crypto';

const plaintext = new Uint8Array(70_000).map((_, i) => (i * 13) & 0xff);

describe('bulk sealing (AES-256-GCM under a key used once)', () => {
  it('round-trips, under a new key each time, and reads what Node’s own AES-256-GCM wrote', async () => {
    const one = await sealBulk(plaintext);
    const two = await sealBulk(plaintext);
    expect(one.key).not.toEqual(two.key);
    expect(one.ciphertext.length).toBe(plaintext.length + 16);
    expect(await openBulk(one.key, one.ciphertext)).toEqual(plaintext);
    // The spec's construction, by another implementation: zero IV, no associated data, tag last.
    const cipher = createCipheriv('aes-256-gcm', one.key, Buffer.alloc(12));
    const theirs = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    expect(new Uint8Array(theirs)).toEqual(one.ciphertext);
  });

  it('any changed byte fails to open, as AuthenticationError, and gives nothing (property)', async () => {
    const { key, ciphertext } = await sealBulk(plaintext.subarray(0, 300));
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: ciphertext.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (i, x) => {
          const bad = ciphertext.slice();
          bad[i]! ^= x;
          await expect(openBulk(key, bad)).rejects.toBeInstanceOf(AuthenticationError);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('another key, a cut one, and a wrong-sized key are each refused with what was wrong', async () => {
    const { key, ciphertext } = await sealBulk(plaintext);
    const other = (await sealBulk(new Uint8Array(1))).key;
    await expect(openBulk(other, ciphertext)).rejects.toBeInstanceOf(AuthenticationError);
    await expect(openBulk(key, ciphertext.subarray(0, ciphertext.length - 1))).rejects.toThrow(
      AuthenticationError,
    );
    await expect(openBulk(key, ciphertext.subarray(0, 15))).rejects.toBeInstanceOf(
      MalformedEnvelopeError,
    );
    await expect(openBulk(key.subarray(0, 16) as BulkKey, ciphertext)).rejects.toThrow(
      /a bulk key is 32 bytes, got 16/,
    );
    // The error says what happened and carries no key or plaintext.
    const error = await openBulk(other, ciphertext).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).not.toContain(Buffer.from(other).toString('hex'));
  });
});
