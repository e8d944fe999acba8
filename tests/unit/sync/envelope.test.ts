import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateKey, type SealedBulk, sealBulk } from '../../../src/core/crypto';
import { generateDeviceIdentity } from '../../../src/core/device';
import {
  EnvelopeRejectedError,
  envelopeBodyDigest,
  openEnvelope,
  readEnvelopeHeader,
  roomNameOf,
  sealBulkPayload,
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

async function rejection(fn: () => unknown): Promise<string | undefined> {
  try {
    await fn();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(EnvelopeRejectedError);
    // Never echoes what it was given.
    expect((error as Error).message).not.toContain('1,2,3');
    return (error as EnvelopeRejectedError).reason;
  }
}

/** Any one byte of `bytes` changed, the envelope is refused (a property, `runs` cases). */
function everyChangedByteRefused(bytes: Uint8Array, runs: number): Promise<void> {
  return fc.assert(
    fc.asyncProperty(
      fc.nat({ max: bytes.length - 1 }),
      fc.integer({ min: 1, max: 255 }),
      async (i, x) => {
        const bad = bytes.slice();
        bad[i]! ^= x;
        expect(await rejection(() => openEnvelope(bad, allow))).toBeDefined();
      },
    ),
    { numRuns: runs },
  );
}

describe('sync envelope', () => {
  it('round-trips its header, knowledge and update', async () => {
    const opened = await openEnvelope(sealed, allow);
    expect(opened).toMatchObject({ kind: 'update', vaultId, author: author.id, seq: 42 });
    expect(opened.update).toEqual(update);
    expect(opened.knowledge).toEqual(knowledge);
    expect(readEnvelopeHeader(sealed).seq).toBe(42);
  });

  it('checks the signature against a body digest worked out natively, and refuses a wrong one', async () => {
    const digest = await envelopeBodyDigest(sealed);
    expect(digest).toEqual(sha256(sealed.subarray(0, sealed.length - 64)));
    expect((await openEnvelope(sealed, { ...allow, bodyDigest: digest })).update).toEqual(update);
    const wrong = digest!.slice();
    wrong[0]! ^= 1;
    expect(await rejection(() => openEnvelope(sealed, { ...allow, bodyDigest: wrong }))).toBe(
      'bad-signature',
    );
    expect(await envelopeBodyDigest(sealed.subarray(0, 64))).toBeUndefined();
  });

  it('does not modify its inputs', async () => {
    const copy = update.slice();
    sealEnvelope({ kind: 'checkpoint', vaultId, author, seq: 1, syncKey, update });
    expect(update).toEqual(copy);
    const before = sealed.slice();
    await openEnvelope(sealed, allow);
    expect(sealed).toEqual(before);
  });

  it('any single changed byte makes it fail to open (property)', () =>
    everyChangedByteRefused(sealed, 300));

  it('rejects in the specified order, each with its reason', async () => {
    expect(await rejection(() => openEnvelope('text', allow))).toBe('malformed');
    expect(await rejection(() => openEnvelope(sealed.subarray(0, 150), allow))).toBe('malformed');
    const newer = sealed.slice();
    newer[4] = 4;
    expect(await rejection(() => openEnvelope(newer, allow))).toBe('unsupported');
    // Version 1 had no prev field: its authors cannot be checked against a removal.
    const older = sealed.slice();
    older[4] = 1;
    expect(await rejection(() => openEnvelope(older, allow))).toBe('unsupported');
    const kind = sealed.slice();
    kind[5] = 9;
    expect(await rejection(() => openEnvelope(kind, allow))).toBe('unsupported');
    expect(
      await rejection(() => openEnvelope(sealed, { ...allow, vaultId: 'AAAAAAAAAAAAAAAAAAAAAA' })),
    ).toBe('wrong-vault');
    expect(
      await rejection(() => openEnvelope(sealed, { ...allow, authorStatus: () => 'unknown' })),
    ).toBe('unknown-device');
    expect(
      await rejection(() => openEnvelope(sealed, { ...allow, authorStatus: () => 'revoked' })),
    ).toBe('revoked-device');
    expect(
      await rejection(() => openEnvelope(sealed, { ...allow, authorStatus: () => 'unchecked' })),
    ).toBe('revoked-unchecked');
    expect(
      await rejection(() =>
        openEnvelope(sealed, { ...allow, syncKey: syncKeyOf(generateKey('vault')) }),
      ),
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

describe('sync envelope with a bulk (version 0x03)', () => {
  const state = new Uint8Array(100_000).map((_, i) => (i * 7) & 0xff);
  /** A checkpoint with `bulk`, signed by the vault's device `author`. */
  const signedBulk = (seq: number, bulk: SealedBulk) =>
    sealEnvelope({ kind: 'checkpoint', vaultId, author, seq, syncKey, bulk });
  const sealBulkEnvelope = async (seq: number) => signedBulk(seq, await sealBulkPayload(state));

  it('round-trips, with the payload only in the bulk and the key only sealed', async () => {
    const bytes = await sealBulkEnvelope(7);
    expect(bytes[4]).toBe(3);
    expect(readEnvelopeHeader(bytes)).toMatchObject({ version: 3, kind: 'checkpoint', seq: 7 });
    // Header 94, sealed key 90, bulk (4-byte knowledge length, state, tag 16), signature 64.
    expect(bytes.length).toBe(94 + 90 + 4 + state.length + 16 + 64);
    const opened = await openEnvelope(bytes, allow);
    expect(opened.update).toEqual(state);
    expect(opened.knowledge).toEqual(new Uint8Array(0));
    // The state is not readable in it, not even a run of it.
    expect(Buffer.from(bytes).includes(Buffer.from(state.subarray(5000, 5032)))).toBe(false);
  });

  it('an update with knowledge round-trips in a bulk too', async () => {
    const bytes = sealEnvelope({
      kind: 'update',
      vaultId,
      author,
      seq: 8,
      syncKey,
      bulk: await sealBulkPayload(update, knowledge),
    });
    const opened = await openEnvelope(bytes, allow);
    expect([opened.update, opened.knowledge]).toEqual([update, knowledge]);
  });

  it('any single changed byte makes it fail to open (property)', async () =>
    everyChangedByteRefused(await sealBulkEnvelope(9), 200));

  it('a device of the vault cannot pass off a bulk its sealed key does not open, even signed', async () => {
    // The attacker holds the sync key and signs as itself: only the bulk's own tag stops it.
    const ours = await sealBulkPayload(state);
    const other = await sealBulk(new Uint8Array(5000));
    const signed = (seq: number, ciphertext: Uint8Array) =>
      signedBulk(seq, { key: ours.key, ciphertext });
    const mixed = signed(10, other.ciphertext);
    expect(await rejection(() => openEnvelope(mixed, allow))).toBe('authentication');
    const truncated = signed(11, ours.ciphertext.subarray(0, ours.ciphertext.length - 1));
    expect(await rejection(() => openEnvelope(truncated, allow))).toBe('authentication');
    const tagless = signed(12, new Uint8Array(0));
    expect(await rejection(() => openEnvelope(tagless, allow))).toBe('malformed');
  });

  it('rejects a short one, another key, and the checks before the bulk, each with its reason', async () => {
    const bytes = await sealBulkEnvelope(13);
    expect(await rejection(() => openEnvelope(bytes.subarray(0, 263), allow))).toBe('malformed');
    expect(
      await rejection(() =>
        openEnvelope(bytes, { ...allow, syncKey: syncKeyOf(generateKey('vault')) }),
      ),
    ).toBe('key-mismatch');
    expect(await rejection(() => openEnvelope(bytes, { ...allow, syncKey: () => undefined }))).toBe(
      'unknown-key',
    );
    let asked = 0;
    const unknown = openEnvelope(bytes, {
      ...allow,
      authorStatus: () => {
        asked++;
        return 'unknown';
      },
    });
    // The author is asked about before anything is awaited (peer.ts reads its answer at once).
    expect(asked).toBe(1);
    expect(await rejection(() => unknown)).toBe('unknown-device');
  });
});
