import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  asDeviceId,
  asEntryId,
  asInviteId,
  asVaultId,
  deviceIdOf,
  type IdKind,
  InvalidEntryIdError,
  InvalidIdError,
  inviteIdOf,
  isDeviceId,
  isEntryId,
  isInviteId,
  isVaultId,
  publicKeyOfDevice,
  vaultIdOf,
} from '../../../src/core/ids';
import * as profile from '../../../src/core/profile';
import * as sync from '../../../src/core/sync';
import * as vault from '../../../src/core/vault';
import { readDevices, readInvites, readReviews } from '../../../src/core/vault/members';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The same id with its last character's unused bits set: the same bytes, spelled otherwise. */
const otherSpelling = (id: string) =>
  `${id.slice(0, -1)}${alphabet[alphabet.indexOf(id.at(-1)!) | 1]}`;

function invalid(check: () => unknown): InvalidIdError {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidIdError);
    expect(error).toBeInstanceOf(TypeError);
    return error as InvalidIdError;
  }
  throw new Error('expected InvalidIdError');
}

const byteIds: {
  kind: IdKind;
  bytes: number;
  characters: number;
  of: (bytes: Uint8Array) => string;
  as: (value: unknown) => string;
  is: (value: unknown) => boolean;
}[] = [
  { kind: 'vault', bytes: 16, characters: 22, of: vaultIdOf, as: asVaultId, is: isVaultId },
  { kind: 'device', bytes: 32, characters: 43, of: deviceIdOf, as: asDeviceId, is: isDeviceId },
  { kind: 'invite', bytes: 16, characters: 22, of: inviteIdOf, as: asInviteId, is: isInviteId },
];

describe('ids', () => {
  for (const id of byteIds) {
    describe(`${id.kind} ids`, () => {
      it('round-trip: the id of some bytes is accepted as it is, and spells those bytes', () => {
        fc.assert(
          fc.property(fc.uint8Array({ minLength: id.bytes, maxLength: id.bytes }), (bytes) => {
            const text = id.of(bytes);
            expect(text).toHaveLength(id.characters);
            expect(text).toBe(Buffer.from(bytes).toString('base64url'));
            expect(id.is(text)).toBe(true);
            expect(id.as(text)).toBe(text);
          }),
        );
      });

      it('refuses another spelling of the same bytes, padding, +, / and whitespace', () => {
        const text = id.of(new Uint8Array(id.bytes).fill(0x5a));
        const variants: [string, string][] = [
          [otherSpelling(text), 'not-canonical'],
          [`${text.slice(0, -1)}+`, 'character'],
          [`${text.slice(0, -1)}/`, 'character'],
          [`${text.slice(0, -1)}=`, 'character'],
          [`${text.slice(0, -1)} `, 'character'],
          [`${text}=`, 'length'],
          [` ${text}`, 'length'],
          [text.slice(1), 'length'],
        ];
        for (const [variant, reason] of variants) {
          expect(variant).not.toBe(text);
          expect(id.is(variant)).toBe(false);
          const error = invalid(() => id.as(variant));
          expect({ kind: error.kind, reason: error.reason }).toEqual({ kind: id.kind, reason });
          expect(error.message).toMatch(new RegExp(`^not a usable ${id.kind} id: expected`));
        }
        const error = invalid(() => id.as(42));
        expect(error.reason).toBe('not-a-string');
        expect(error.message).toMatch(/got number/);
      });

      it('refuses to make an id of the wrong number of bytes', () => {
        const error = invalid(() => id.of(new Uint8Array(id.bytes - 1)));
        expect(error.reason).toBe('length');
        expect(error.message).toContain(`expected ${id.bytes} bytes, got ${id.bytes - 1} bytes`);
      });
    });
  }

  it('a device id gives back its public key, and a forged brand is still checked', () => {
    const key = new Uint8Array(32).map((_, i) => i);
    expect(publicKeyOfDevice(deviceIdOf(key))).toEqual(key);
    const forged = otherSpelling(deviceIdOf(key)) as ReturnType<typeof deviceIdOf>;
    expect(invalid(() => publicKeyOfDevice(forged)).reason).toBe('not-canonical');
  });

  it('entry ids: 8 to 64 base64url characters, opaque (never decoded)', () => {
    for (const text of ['Qm9vbXNoYWthbGFr', 'a-b_c-d_', 'x'.repeat(64), 'AAAAAAAAB']) {
      expect(isEntryId(text)).toBe(true);
      expect(asEntryId(text)).toBe(text);
    }
    const reasons = ['1234567', 'x'.repeat(65), 'has space', 'with+plus', 'padded==', 42].map(
      (value) => {
        try {
          asEntryId(value);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidEntryIdError);
          expect((error as InvalidEntryIdError).kind).toBe('entry');
          return (error as InvalidEntryIdError).reason;
        }
        return 'accepted';
      },
    );
    expect(reasons).toEqual([
      'length',
      'length',
      'character',
      'character',
      'character',
      'not-a-string',
    ]);
  });

  it('the old names still come from the profile, vault and sync modules', () => {
    expect(profile.asVaultId).toBe(asVaultId);
    expect(isVaultId(profile.newVaultId())).toBe(true);
    expect(vault.asEntryId).toBe(asEntryId);
    expect(vault.isEntryId).toBe(isEntryId);
    expect(vault.InvalidEntryIdError).toBe(InvalidEntryIdError);
    expect(sync.asDeviceId).toBe(asDeviceId);
    expect(sync.isDeviceId).toBe(isDeviceId);
    expect(sync.deviceIdOf).toBe(deviceIdOf);
  });

  it("the vault's member lists skip records whose ids are malformed or not canonical", () => {
    const device = deviceIdOf(new Uint8Array(32).fill(3));
    const invite = inviteIdOf(new Uint8Array(16).fill(4));
    const doc = new Y.Doc();
    const record = { name: 'laptop', addedAt: 1, addedBy: null };
    const devices = doc.getMap('devices');
    devices.set(device, record);
    devices.set(otherSpelling(device), record);
    devices.set('not-a-device', record);
    devices.set(deviceIdOf(new Uint8Array(32).fill(5)), {
      ...record,
      addedBy: otherSpelling(device),
    });
    const invites = doc.getMap('invites');
    const inviteRecord = {
      secret: 's',
      createdAt: 1,
      expiresAt: 2,
      singleUse: true,
      createdBy: device,
      usedBy: [],
    };
    invites.set(invite, inviteRecord);
    invites.set(otherSpelling(invite), inviteRecord);
    invites.set(inviteIdOf(new Uint8Array(16)), { ...inviteRecord, usedBy: ['someone'] });
    const reviews = doc.getMap('reviews');
    reviews.set('EntryId_00000001', { at: 1, devices: [device] });
    reviews.set('bad id', { at: 1, devices: [device] });
    reviews.set('EntryId_00000002', { at: 1, devices: [otherSpelling(device)] });
    expect(readDevices(doc).map((d) => d.id)).toEqual([device]);
    expect(readInvites(doc).map((i) => i.id)).toEqual([invite]);
    expect(readReviews(doc).map((r) => r.entryId)).toEqual(['EntryId_00000001']);
  });
});
