import { x25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import {
  asKey,
  associatedData,
  concat,
  generateKey,
  hkdfLabel,
  keyIdOf,
  seal,
  utf8,
} from '../../../src/core/crypto';
import { generateDeviceIdentity } from '../../../src/core/device';
import {
  type DeviceId,
  encodeInviteToken,
  InviteError,
  inviteLink,
  inviteMaterial,
  parseInvite,
} from '../../../src/core/sync';
import { newInviteSecret, openJoinRequest, sealJoinRequest } from '../../../src/core/sync/invite';
import {
  type AnswerSigner,
  inviteAnswerPublicKey,
  maxFollowingEnvelopes,
  openJoinAnswer,
  sealJoinAnswer,
} from '../../../src/core/sync/invite-answer';

const vaultKey = generateKey('vault');
const secret = newInviteSecret();
const material = inviteMaterial(secret);
const token = {
  secret,
  vaultId: 'QUJDREVGR0hJSktMTU5PUA',
  keyId: keyIdOf(vaultKey),
  expiresAt: 1_900_000_000_000,
  answerKey: inviteAnswerPublicKey(vaultKey, material.id),
};
const joiner = generateDeviceIdentity();
const inviter = generateDeviceIdentity();
const other = generateDeviceIdentity();
/** A member of the vault answering: it holds the vault key and is in the device list. */
const signer: AnswerSigner = { device: inviter, vaultKey, members: [inviter.id, other.id] };

const problemOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InviteError);
    return (error as InviteError).problem;
  }
  return undefined;
};

describe('invitation links', () => {
  it('carry the token only in the fragment, and parse back from the link, the fragment or the token', () => {
    const link = inviteLink('https://coffer.example/app/?x=1#old', token);
    const url = new URL(link);
    expect(url.origin + url.pathname + url.search).toBe('https://coffer.example/app/?x=1');
    expect(url.hash).toBe(`#join=${encodeInviteToken(token)}`);
    for (const text of [link, url.hash, encodeInviteToken(token), `  ${link}\n`]) {
      expect(parseInvite(text)).toEqual(token);
    }
  });

  it('damaged or foreign text is refused with a reason', () => {
    const encoded = encodeInviteToken(token);
    expect(problemOf(() => parseInvite(''))).toBe('malformed');
    expect(problemOf(() => parseInvite('#join=%%%'))).toBe('malformed');
    expect(problemOf(() => parseInvite(encoded.slice(0, -3)))).toBe('malformed');
    expect(problemOf(() => parseInvite(`C${encoded.slice(1)}`))).toBe('unsupported');
    expect(problemOf(() => inviteMaterial(new Uint8Array(5)))).toBe('malformed');
  });

  it('derives room, password, key and id that differ per secret and from each other', () => {
    const other = inviteMaterial(newInviteSecret());
    expect(material.room).not.toBe(other.room);
    expect(material.room).not.toContain(material.password);
    expect(material.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('join request and answer', () => {
  it('the vault goes to the requester only, and the joiner checks it is the vault the link named', () => {
    const { request, ephemeralSecret } = sealJoinRequest(material, joiner, 'Phone', 5);
    const opened = openJoinRequest(material, joiner.id, request)!;
    expect(opened).toMatchObject({ device: joiner.id, name: 'Phone', at: 5 });
    const answer = sealJoinAnswer(
      material,
      opened,
      {
        ok: true,
        vaultId: token.vaultId,
        name: 'Team',
        key: vaultKey,
      },
      signer,
    );
    expect(openJoinAnswer(material, token, joiner.id, ephemeralSecret, answer)).toMatchObject({
      ok: true,
      name: 'Team',
      key: vaultKey,
      inviter: inviter.id,
      members: [inviter.id, other.id],
    });
    // Someone else who holds the link cannot read the answer meant for the joiner.
    const eavesdropper = sealJoinRequest(material, generateDeviceIdentity(), 'x', 1);
    expect(
      problemOf(() =>
        openJoinAnswer(material, token, joiner.id, eavesdropper.ephemeralSecret, answer),
      ),
    ).toBe('refused');
  });

  it('an answer says how many envelopes follow it (signed with the rest); none said is none', () => {
    const { request, ephemeralSecret } = sealJoinRequest(material, joiner, 'Phone', 5);
    const opened = openJoinRequest(material, joiner.id, request)!;
    const content = { ok: true, vaultId: token.vaultId, name: 'Team', key: vaultKey } as const;
    const followOf = (follow: number | undefined) => {
      const answer = sealJoinAnswer(
        material,
        opened,
        follow === undefined ? content : { ...content, follow },
        signer,
      );
      const result = openJoinAnswer(material, token, joiner.id, ephemeralSecret, answer);
      return result.ok ? result.follow : undefined;
    };
    expect(followOf(3)).toBe(3);
    expect(followOf(undefined)).toBe(0);
    expect(followOf(0)).toBe(0);
    // Whatever an answering device claims, the wait it causes stays bounded.
    expect(followOf(1e9)).toBe(maxFollowingEnvelopes);
    expect(followOf(-2)).toBe(0);
    expect(followOf(1.5)).toBe(0);
  });

  it('a request filed under another device, tampered or unsigned is ignored', () => {
    const { request } = sealJoinRequest(material, joiner, 'Phone', 5);
    expect(openJoinRequest(material, inviter.id, request)).toBeUndefined();
    const tampered = request.slice();
    tampered[10]! ^= 1;
    expect(openJoinRequest(material, joiner.id, tampered)).toBeUndefined();
    expect(openJoinRequest(material, joiner.id, request.subarray(0, 60))).toBeUndefined();
    expect(openJoinRequest(inviteMaterial(newInviteSecret()), joiner.id, request)).toBeUndefined();
    expect(openJoinRequest(material, 'not-a-device', request)).toBeUndefined();
  });

  it('an answer with another vault or a key that does not match the link is refused', () => {
    const { request, ephemeralSecret } = sealJoinRequest(material, joiner, 'Phone', 5);
    const opened = openJoinRequest(material, joiner.id, request)!;
    const swapped = sealJoinAnswer(
      material,
      opened,
      {
        ok: true,
        vaultId: token.vaultId,
        name: 'Team',
        key: generateKey('vault'),
      },
      signer,
    );
    expect(
      problemOf(() => openJoinAnswer(material, token, joiner.id, ephemeralSecret, swapped)),
    ).toBe('refused');
    const otherVault = sealJoinAnswer(
      material,
      opened,
      {
        ok: true,
        vaultId: 'AAAAAAAAAAAAAAAAAAAAAA',
        name: 'Team',
        key: vaultKey,
      },
      signer,
    );
    expect(
      problemOf(() => openJoinAnswer(material, token, joiner.id, ephemeralSecret, otherVault)),
    ).toBe('refused');
    // A member list that is not a list of device ids makes the whole answer suspect.
    const badMembers = sealJoinAnswer(
      material,
      opened,
      {
        ok: true,
        vaultId: token.vaultId,
        name: 'Team',
        key: vaultKey,
      },
      { ...signer, members: ['not a device id' as DeviceId] },
    );
    expect(
      problemOf(() => openJoinAnswer(material, token, joiner.id, ephemeralSecret, badMembers)),
    ).toBe('refused');
    const used = sealJoinAnswer(material, opened, { ok: false, problem: 'used' }, signer);
    expect(openJoinAnswer(material, token, joiner.id, ephemeralSecret, used)).toEqual({
      ok: false,
      problem: 'used',
    });
  });
});

describe('answers only a member can give (an attacker holding the link)', () => {
  /** What the attacker learns from the link and the room: the request, opened. */
  const overheard = () => {
    const { request, ephemeralSecret } = sealJoinRequest(material, joiner, 'Phone', 5);
    return { opened: openJoinRequest(material, joiner.id, request)!, ephemeralSecret };
  };

  /** A refusal in the unsigned format of earlier builds, made from the link alone. */
  const unsignedRefusal = (opened: { ephemeral: Uint8Array }) => {
    const e = x25519.utils.randomSecretKey();
    const E = x25519.getPublicKey(e);
    const k = asKey(
      hkdfLabel(
        concat(x25519.getSharedSecret(e, opened.ephemeral), E, opened.ephemeral),
        'invite-response',
        32,
      ),
      'invite',
    );
    const body = utf8(JSON.stringify({ v: 1, ok: false, problem: 'used' }));
    return concat(E, seal(k, body, associatedData('invite-response', material.id, joiner.id)));
  };

  it('a refusal forged from the link is not believed, whatever its format', () => {
    const { opened, ephemeralSecret } = overheard();
    const attacker = generateDeviceIdentity();
    const forgeries = [
      unsignedRefusal(opened),
      // Signed by the attacker's own device, with an answer key from a vault key of its own.
      sealJoinAnswer(
        material,
        opened,
        { ok: false, problem: 'used' },
        {
          device: attacker,
          vaultKey: generateKey('vault'),
          members: [attacker.id],
        },
      ),
      // Even listing the vault's real members, with itself among them.
      sealJoinAnswer(
        material,
        opened,
        { ok: false, problem: 'revoked' },
        {
          device: attacker,
          vaultKey: generateKey('vault'),
          members: [inviter.id, other.id, attacker.id],
        },
      ),
    ];
    for (const forged of forgeries) {
      expect(
        problemOf(() => openJoinAnswer(material, token, joiner.id, ephemeralSecret, forged)),
      ).toBe('refused');
    }
    // The genuine refusal, for contrast, is believed.
    const genuine = sealJoinAnswer(material, opened, { ok: false, problem: 'used' }, signer);
    expect(openJoinAnswer(material, token, joiner.id, ephemeralSecret, genuine)).toEqual({
      ok: false,
      problem: 'used',
    });
  });

  it('an answer is bound to its request: replayed to a new request of the same device, it does not open', () => {
    const first = overheard();
    const second = overheard();
    const genuine = sealJoinAnswer(material, first.opened, { ok: false, problem: 'used' }, signer);
    expect(
      problemOf(() => openJoinAnswer(material, token, joiner.id, second.ephemeralSecret, genuine)),
    ).toBe('refused');
  });

  it('a link without an answer key (an older link) believes no refusal, but still takes the vault', () => {
    const { opened, ephemeralSecret } = overheard();
    const { answerKey: _, ...older } = token;
    const refusal = sealJoinAnswer(material, opened, { ok: false, problem: 'used' }, signer);
    expect(
      problemOf(() => openJoinAnswer(material, older, joiner.id, ephemeralSecret, refusal)),
    ).toBe('refused');
    const welcome = sealJoinAnswer(
      material,
      opened,
      { ok: true, vaultId: token.vaultId, name: 'Team', key: vaultKey },
      signer,
    );
    expect(openJoinAnswer(material, older, joiner.id, ephemeralSecret, welcome)).toMatchObject({
      ok: true,
      key: vaultKey,
    });
  });

  it('an answer from a device that is not among the members it lists (a removed one) is refused', () => {
    const { opened, ephemeralSecret } = overheard();
    // The removed device holds the vault key (so it can sign with the answer key), and its
    // copy of the device list no longer counts it among the members.
    const removed = { device: other, vaultKey, members: [inviter.id] };
    for (const content of [
      { ok: false, problem: 'used' } as const,
      { ok: true, vaultId: token.vaultId, name: 'Team', key: vaultKey } as const,
    ]) {
      const answer = sealJoinAnswer(material, opened, content, removed);
      expect(
        problemOf(() => openJoinAnswer(material, token, joiner.id, ephemeralSecret, answer)),
      ).toBe('refused');
    }
  });

  it('the answer key comes from the vault key and the invitation, and the link carries it', () => {
    expect(parseInvite(encodeInviteToken(token))).toEqual(token);
    expect(inviteAnswerPublicKey(vaultKey, material.id)).toEqual(token.answerKey);
    expect(inviteAnswerPublicKey(generateKey('vault'), material.id)).not.toEqual(token.answerKey);
    const otherInvite = inviteMaterial(newInviteSecret());
    expect(inviteAnswerPublicKey(vaultKey, otherInvite.id)).not.toEqual(token.answerKey);
  });
});
