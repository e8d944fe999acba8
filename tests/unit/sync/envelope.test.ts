import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/core/crypto';
import { generateDeviceIdentity } from '../../../src/core/device';
import {
  EnvelopeRejectedError,
  envelopeBodyDigest,
  openEnvelope,
  readEnvelopeHeader,
  roomNameOf,
  sealEnvelope,
  syncKeyOf,
  transportPasswordOf,
} from '../../../src/core/sync';

const vaultKey = generateKey('vault');
const syncKey = syncKeyOf(vaultKey);
const author = generateDeviceIdentity();
const vaultId = 'QUJDREVGR0hJSktMTU5PUA';
const update = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
const knowledge = new Uint8Array([9, 9]);
const sealed = sealEnvelope({
  kind: 'update',
  vaultId,
  author,
  seq: 42,
  syncKey,
  update,
  knowledge,
});
const allow = { vaultId, syncKey, authorStatus: () => 'allowed' as const };

function rejection(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(EnvelopeRejectedError);
    // Never echoes what it was given.
    expect((error as Error).message).not.toContain('1,2,3');
    return (error as EnvelopeRejectedError).reason;
  }
}

describe('sync envelope', () => {
  it('round-trips its header, knowledge and update', () => {
    const opened = openEnvelope(sealed, allow);
    expect(opened).toMatchObject({ kind: 'update', vaultId, author: author.id, seq: 42 });
    expect(opened.update).toEqual(update);
    expect(opened.knowledge).toEqual(knowledge);
    expect(readEnvelopeHeader(sealed).seq).toBe(42);
  });

  it('checks the signature against a body digest worked out natively, and refuses a wrong one', async () => {
    const digest = await envelopeBodyDigest(sealed);
    expect(digest).toEqual(sha256(sealed.subarray(0, sealed.length - 64)));
    expect(openEnvelope(sealed, { ...allow, bodyDigest: digest }).update).toEqual(update);
    const wrong = digest!.slice();
    wrong[0]! ^= 1;
    expect(rejection(() => openEnvelope(sealed, { ...allow, bodyDigest: wrong }))).toBe(
      'bad-signature',
    );
    expect(await envelopeBodyDigest(sealed.subarray(0, 64))).toBeUndefined();
  });

  it('does not modify its inputs', () => {
    const copy = update.slice();
    sealEnvelope({ kind: 'checkpoint', vaultId, author, seq: 1, syncKey, update });
    expect(update).toEqual(copy);
    const before = sealed.slice();
    openEnvelope(sealed, allow);
    expect(sealed).toEqual(before);
  });

  it('any single changed byte makes it fail to open (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: sealed.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const bad = sealed.slice();
        bad[i]! ^= x;
        expect(rejection(() => openEnvelope(bad, allow))).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });

  it('rejects in the specified order, each with its reason', () => {
    expect(rejection(() => openEnvelope('text', allow))).toBe('malformed');
    expect(rejection(() => openEnvelope(sealed.subarray(0, 150), allow))).toBe('malformed');
    const newer = sealed.slice();
    newer[4] = 3;
    expect(rejection(() => openEnvelope(newer, allow))).toBe('unsupported');
    // Version 1 had no prev field: its authors cannot be checked against a removal.
    const older = sealed.slice();
    older[4] = 1;
    expect(rejection(() => openEnvelope(older, allow))).toBe('unsupported');
    const kind = sealed.slice();
    kind[5] = 9;
    expect(rejection(() => openEnvelope(kind, allow))).toBe('unsupported');
    expect(
      rejection(() => openEnvelope(sealed, { ...allow, vaultId: 'AAAAAAAAAAAAAAAAAAAAAA' })),
    ).toBe('wrong-vault');
    expect(rejection(() => openEnvelope(sealed, { ...allow, authorStatus: () => 'unknown' }))).toBe(
      'unknown-device',
    );
    expect(rejection(() => openEnvelope(sealed, { ...allow, authorStatus: () => 'revoked' }))).toBe(
      'revoked-device',
    );
    expect(
      rejection(() => openEnvelope(sealed, { ...allow, authorStatus: () => 'unchecked' })),
    ).toBe('revoked-unchecked');
    expect(
      rejection(() => openEnvelope(sealed, { ...allow, syncKey: syncKeyOf(generateKey('vault')) })),
    ).toBe('key-mismatch');
  });

  it('derives room name, password and sync key with distinct labels', () => {
    const room = roomNameOf(vaultKey);
    const password = transportPasswordOf(vaultKey);
    expect(room).toMatch(/^coffer-[A-Za-z0-9_-]{43}$/);
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(room.slice(7)).not.toBe(password);
    expect(Buffer.from(syncKey).toString('base64url')).not.toBe(password);
    expect(roomNameOf(generateKey('vault'))).not.toBe(room);
  });
});
