import { describe, expect, it } from 'vitest';
import { generateKey, keyIdOf } from '../../../src/core/crypto';
import {
  type DeviceId,
  encodeInviteToken,
  generateDeviceIdentity,
  InviteError,
  inviteLink,
  inviteMaterial,
  parseInvite,
} from '../../../src/core/sync';
import {
  newInviteSecret,
  openJoinAnswer,
  openJoinRequest,
  sealJoinAnswer,
  sealJoinRequest,
} from '../../../src/core/sync/invite';

const vaultKey = generateKey('vault');
const token = {
  secret: newInviteSecret(),
  vaultId: 'QUJDREVGR0hJSktMTU5PUA',
  keyId: keyIdOf(vaultKey),
  expiresAt: 1_900_000_000_000,
};
const material = inviteMaterial(token.secret);
const joiner = generateDeviceIdentity();
const inviter = generateDeviceIdentity();
const other = generateDeviceIdentity();

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
    const answer = sealJoinAnswer(material, opened, {
      ok: true,
      vaultId: token.vaultId,
      name: 'Team',
      key: vaultKey,
      inviter: inviter.id,
      members: [other.id],
    });
    expect(openJoinAnswer(material, token, joiner.id, ephemeralSecret, answer)).toMatchObject({
      ok: true,
      name: 'Team',
      key: vaultKey,
      inviter: inviter.id,
      members: [other.id],
    });
    // Someone else who holds the link cannot read the answer meant for the joiner.
    const eavesdropper = sealJoinRequest(material, generateDeviceIdentity(), 'x', 1);
    expect(
      problemOf(() =>
        openJoinAnswer(material, token, joiner.id, eavesdropper.ephemeralSecret, answer),
      ),
    ).toBe('refused');
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
    const swapped = sealJoinAnswer(material, opened, {
      ok: true,
      vaultId: token.vaultId,
      name: 'Team',
      key: generateKey('vault'),
      inviter: inviter.id,
      members: [],
    });
    expect(
      problemOf(() => openJoinAnswer(material, token, joiner.id, ephemeralSecret, swapped)),
    ).toBe('refused');
    const otherVault = sealJoinAnswer(material, opened, {
      ok: true,
      vaultId: 'AAAAAAAAAAAAAAAAAAAAAA',
      name: 'Team',
      key: vaultKey,
      inviter: inviter.id,
      members: [],
    });
    expect(
      problemOf(() => openJoinAnswer(material, token, joiner.id, ephemeralSecret, otherVault)),
    ).toBe('refused');
    // A member list that is not a list of device ids makes the whole answer suspect.
    const badMembers = sealJoinAnswer(material, opened, {
      ok: true,
      vaultId: token.vaultId,
      name: 'Team',
      key: vaultKey,
      inviter: inviter.id,
      members: ['not a device id' as DeviceId],
    });
    expect(
      problemOf(() => openJoinAnswer(material, token, joiner.id, ephemeralSecret, badMembers)),
    ).toBe('refused');
    const used = sealJoinAnswer(material, opened, { ok: false, problem: 'used' });
    expect(openJoinAnswer(material, token, joiner.id, ephemeralSecret, used)).toEqual({
      ok: false,
      problem: 'used',
    });
  });
});
