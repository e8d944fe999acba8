import { deflateRawSync } from 'node:zlib';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, generateKey, sealBulk, u32be } from '../../../src/core/crypto';
import { generateDeviceIdentity } from '../../../src/core/device';
import {
  CompressedPayloadError,
  EnvelopeRejectedError,
  envelopeBodyDigest,
  openEnvelope,
  readEnvelopeHeader,
  roomNameOf,
  type SyncBulk,
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
    newer[4] = 5;
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

/** A version 0x03 bulk: the payload as it is, as Coffer wrote before 0x04 (readers read both). */
async function plainBulk(
  state: Uint8Array,
  knowledgeBefore = new Uint8Array(0),
): Promise<SyncBulk> {
  const payload = concat(u32be(knowledgeBefore.length), knowledgeBefore, state);
  return { ...(await sealBulk(payload)), deflated: false };
}

for (const [version, makeBulk] of [
  [3, plainBulk],
  [4, sealBulkPayload],
] as const) {
  describe(`sync envelope with a bulk (version 0x0${version})`, () => {
    const state = new Uint8Array(100_000).map((_, i) => (i * 7) & 0xff);
    /** A checkpoint with `bulk`, signed by the vault's device `author`. */
    const signedBulk = (seq: number, bulk: SyncBulk) =>
      sealEnvelope({ kind: 'checkpoint', vaultId, author, seq, syncKey, bulk });
    const sealBulkEnvelope = async (seq: number) => signedBulk(seq, await makeBulk(state));

    it('round-trips, with the payload only in the bulk and the key only sealed', async () => {
      const bytes = await sealBulkEnvelope(7);
      expect(bytes[4]).toBe(version);
      expect(readEnvelopeHeader(bytes)).toMatchObject({ version, kind: 'checkpoint', seq: 7 });
      // Header 94, sealed key 90, bulk (its plaintext, tag 16), signature 64. In 0x03 the
      // plaintext is the 4-byte knowledge length and the state; in 0x04 that deflated, framed
      // and padded to 4 KiB, and this state deflates to a few hundred bytes.
      const plaintext = bytes.length - 94 - 90 - 16 - 64;
      if (version === 3) expect(plaintext).toBe(4 + state.length);
      else expect(plaintext).toBe(4096);
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
        bulk: await makeBulk(update, knowledge),
      });
      const opened = await openEnvelope(bytes, allow);
      expect([opened.update, opened.knowledge]).toEqual([update, knowledge]);
    });

    it('any single changed byte makes it fail to open (property)', async () =>
      everyChangedByteRefused(await sealBulkEnvelope(9), 200));

    it('a device of the vault cannot pass off a bulk its sealed key does not open, even signed', async () => {
      // The attacker holds the sync key and signs as itself: only the bulk's own tag stops it.
      const ours = await makeBulk(state);
      const other = await makeBulk(new Uint8Array(5000));
      const signed = (seq: number, ciphertext: Uint8Array) =>
        signedBulk(seq, { key: ours.key, ciphertext, deflated: ours.deflated });
      const mixed = signed(10, other.ciphertext);
      expect(await rejection(() => openEnvelope(mixed, allow))).toBe('authentication');
      const truncated = signed(11, ours.ciphertext.subarray(0, ours.ciphertext.length - 1));
      expect(await rejection(() => openEnvelope(truncated, allow))).toBe('authentication');
      const tagless = signed(12, new Uint8Array(0));
      expect(await rejection(() => openEnvelope(tagless, allow))).toBe('malformed');
      // Nor have one version's bulk read as the other's.
      const relabelled = signedBulk(13, { ...ours, deflated: !ours.deflated });
      expect(['malformed', 'not-an-update']).toContain(
        await rejection(() => openEnvelope(relabelled, allow)),
      );
    });

    it('rejects a short one, another key, and the checks before the bulk, each with its reason', async () => {
      const bytes = await sealBulkEnvelope(13);
      expect(await rejection(() => openEnvelope(bytes.subarray(0, 263), allow))).toBe('malformed');
      expect(
        await rejection(() =>
          openEnvelope(bytes, { ...allow, syncKey: syncKeyOf(generateKey('vault')) }),
        ),
      ).toBe('key-mismatch');
      expect(
        await rejection(() => openEnvelope(bytes, { ...allow, syncKey: () => undefined })),
      ).toBe('unknown-key');
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
}

describe('a deflated bulk (version 0x04) that a device of the vault made wrong on purpose', () => {
  /** Raw DEFLATE by Node's zlib: what the attacker puts in its bulk. */
  const deflate = (bytes: Uint8Array) => new Uint8Array(deflateRawSync(bytes));
  /** The bulk's plaintext as the attacker frames it, padded to `size` bytes with `fill`. */
  const framed = (declared: number, deflated: Uint8Array, size = 4096, fill = 0) => {
    const out = new Uint8Array(size).fill(fill);
    new DataView(out.buffer).setUint32(0, declared);
    new DataView(out.buffer).setUint32(4, deflated.length);
    out.set(deflated, 8);
    return out;
  };
  /** An authentic envelope (the attacker holds the sync key and signs as a vault device). */
  const authentic = async (seq: number, plaintext: Uint8Array) =>
    sealEnvelope({
      kind: 'checkpoint',
      vaultId,
      author,
      seq,
      syncKey,
      bulk: { ...(await sealBulk(plaintext)), deflated: true },
    });
  /** The reason and the problem it was refused for. */
  const refusal = async (bytes: Uint8Array) => {
    try {
      await openEnvelope(bytes, allow);
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(EnvelopeRejectedError);
      const cause = (error as EnvelopeRejectedError).cause;
      expect(cause).toBeInstanceOf(CompressedPayloadError);
      return [(error as EnvelopeRejectedError).reason, (cause as CompressedPayloadError).problem];
    }
  };
  const payload = concat(u32be(0), new Uint8Array(5000).fill(7));

  it('the honest framing of the same payload opens (the cases below differ in one thing)', async () => {
    const opened = await openEnvelope(
      await authentic(20, framed(payload.length, deflate(payload))),
      allow,
    );
    expect(opened.update).toEqual(payload.subarray(4));
  });

  it('each is refused as malformed, with what was wrong', async () => {
    const good = deflate(payload);
    const cases: [Uint8Array, string][] = [
      // Shorter than its two lengths, and naming more compressed bytes than it has.
      [new Uint8Array(4), 'short'],
      [framed(payload.length, good).subarray(0, 4095), 'padding'],
      [
        (() => {
          const bytes = framed(payload.length, good);
          new DataView(bytes.buffer).setUint32(4, 5000);
          return bytes;
        })(),
        'short',
      ],
      // Padding that is not zeros, or not to a multiple of 4096 bytes.
      [framed(payload.length, good, 4096, 1), 'padding'],
      [framed(payload.length, good, 8192 + 1), 'padding'],
      // A payload larger than any reader inflates, or than the data could hold (a bomb's claim).
      [framed(300 * 1024 * 1024, good), 'too-large'],
      [framed(good.length * 1033, good), 'too-large'],
      // More, or fewer, bytes than it names.
      [framed(payload.length - 1, good), 'length'],
      [framed(payload.length + 1, good), 'length'],
      // Not raw DEFLATE, or cut short.
      [framed(payload.length, new Uint8Array(64).fill(0xff)), 'inflate'],
      [framed(payload.length, good.subarray(0, good.length - 2)), 'inflate'],
    ];
    let seq = 21;
    for (const [plaintext, problem] of cases)
      expect(await refusal(await authentic(seq++, plaintext)), problem).toEqual([
        'malformed',
        problem,
      ]);
  });

  it('a bomb stops at the length it names: 64 MiB of zeros named as 1 KiB', async () => {
    const bomb = deflate(new Uint8Array(64 * 1024 * 1024));
    const size = Math.ceil((8 + bomb.length) / 4096) * 4096;
    expect(await refusal(await authentic(40, framed(1024, bomb, size)))).toEqual([
      'malformed',
      'length',
    ]);
  });
});
