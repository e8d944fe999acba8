/**
 * tests/vectors/records.json and the newer parts of crypto.json, read twice: once by Coffer's
 * own code, and once from docs/crypto.md and docs/data-model.md alone, with independent
 * implementations (Node's HKDF, SHA-256, scrypt, X25519 and Ed25519; noble's XChaCha20-Poly1305
 * called directly; yjs for the document) and the derivations written out here.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  scryptSync,
  verify,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { bytesToHex, hexToBytes } from '@noble/ciphers/utils.js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  asKey,
  associatedData,
  inProcessKdf,
  open,
  scryptFloor,
  unlockKeyring,
} from '../../../src/core/crypto';
import { openVaultRecord } from '../../../src/core/storage';
import { parseInvite } from '../../../src/core/sync';
import { openJoinRequest } from '../../../src/core/sync/invite';
import { asEntryId, createEntryStore } from '../../../src/core/vault';

const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../vectors/${name}`, import.meta.url), 'utf8'));
const cryptoVectors = read('crypto.json');
const records = read('records.json');
const hex = (value: string) => hexToBytes(value);
const text = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);

// ---------- the spec, written out ----------

const nodeHkdf = (ikm: Uint8Array, label: string, length: number) =>
  new Uint8Array(hkdfSync('sha256', ikm, new Uint8Array(0), `coffer/v1/${label}`, length));
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const fromB64url = (value: string) => new Uint8Array(Buffer.from(value, 'base64url'));

/** context(label, f1, ..., fk) of docs/crypto.md, "Associated data". */
function specContext(label: string, ...fields: (string | number | Uint8Array)[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from(`coffer/v1/${label}`, 'utf8'), Buffer.from([0])];
  for (const field of fields) {
    let bytes: Buffer;
    if (typeof field === 'number') {
      bytes = Buffer.alloc(8);
      bytes.writeBigUInt64BE(BigInt(field));
    } else bytes = Buffer.from(typeof field === 'string' ? Buffer.from(field, 'utf8') : field);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  }
  return new Uint8Array(Buffer.concat(parts));
}

/** Opening an envelope as docs/crypto.md, "The envelope", says, without Coffer's `open`. */
function specOpen(key: Uint8Array, envelope: Uint8Array, context: Uint8Array): Uint8Array {
  expect(envelope.length).toBeGreaterThanOrEqual(58);
  expect([envelope[0], envelope[1]]).toEqual([0x01, 0x01]);
  expect(bytesToHex(envelope.subarray(2, 18))).toBe(bytesToHex(nodeHkdf(key, 'key-id', 16)));
  const header = envelope.subarray(0, 42);
  const nonce = envelope.subarray(18, 42);
  const aad = new Uint8Array(Buffer.concat([header, context]));
  return xchacha20poly1305(key, nonce, aad).decrypt(envelope.subarray(42));
}

function nodeEd25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) {
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]);
  return verify(
    null,
    message,
    createPublicKey({ key: spki, format: 'der', type: 'spki' }),
    signature,
  );
}

const keys = records.keys;
const profileKey = hex(keys.profileKey);
const vaultKey = hex(keys.vaultKey);

describe('crypto.json additions', () => {
  it('associated data with the vault id as text, as records use it', () => {
    const v = cryptoVectors.associatedDataText;
    const [idField, seqField] = v.fields;
    expect(idField.text).toHaveLength(22);
    expect(bytesToHex(associatedData(v.label, idField.text, seqField.u64))).toBe(v.encoded);
    expect(bytesToHex(specContext(v.label, idField.text, seqField.u64))).toBe(v.encoded);
  });

  it('a keyring whose passphrase was typed decomposed (not NFC)', async () => {
    const v = cryptoVectors.keyringNfd;
    expect(v.passphrase.normalize('NFC')).not.toBe(v.passphrase);
    const nfc = Buffer.from(v.passphrase.normalize('NFC'), 'utf8');
    expect(nfc.toString('hex')).toBe(v.passphraseNfcUtf8);
    const keyring = hex(v.keyring);
    expect(keyring).toHaveLength(195);
    // docs/crypto.md, "Keyring", read with Node's SHA-256 and scrypt.
    expect(text(keyring.subarray(0, 4))).toBe('CFRK');
    expect([...keyring.subarray(4, 9)]).toEqual([1, 1, 17, 8, 1]);
    expect(bytesToHex(keyring.subarray(9, 41))).toBe(v.salt);
    expect(bytesToHex(keyring.subarray(41, 57))).toBe(v.profileId);
    expect(createHash('sha256').update(keyring.subarray(0, 163)).digest('hex')).toBe(
      bytesToHex(keyring.subarray(163)),
    );
    const kek = new Uint8Array(
      scryptSync(nfc, keyring.subarray(9, 41), 32, {
        N: 2 ** 17,
        r: 8,
        p: 1,
        maxmem: 256 * 1024 * 1024,
      }),
    );
    expect(bytesToHex(kek)).toBe(v.kek);
    expect(bytesToHex(keyring.subarray(57, 73))).toBe(bytesToHex(nodeHkdf(kek, 'key-id', 16)));
    const wrapped = keyring.subarray(73, 163);
    expect(bytesToHex(wrapped.subarray(18, 42))).toBe(v.nonce);
    const context = specContext('profile-key', keyring.subarray(0, 73));
    expect(bytesToHex(specOpen(kek, wrapped, context))).toBe(v.profileKey);
    // And Coffer unlocks it with the passphrase as typed, and as NFC.
    for (const passphrase of [v.passphrase, v.passphrase.normalize('NFC')]) {
      const unlocked = await unlockKeyring(keyring, passphrase, {
        kdf: inProcessKdf,
        policy: { floor: scryptFloor, target: scryptFloor },
      });
      expect(bytesToHex(unlocked.profileKey)).toBe(v.profileKey);
    }
  }, 30_000);
});

describe('records.json: every stored record, opened from the spec', () => {
  it('the storage key is HKDF(vault key, "coffer/v1/storage")', () => {
    expect(bytesToHex(nodeHkdf(vaultKey, 'storage', 32))).toBe(keys.storageKey);
    expect(b64url(fromB64url(keys.vaultId))).toBe(keys.vaultId);
    expect(fromB64url(keys.vaultId)).toHaveLength(16);
  });

  it('vault catalog row: vault key || JSON metadata under the profile key', () => {
    const v = records.catalog;
    const context = specContext('vault', v.row.id);
    expect(bytesToHex(context)).toBe(v.context);
    const plaintext = specOpen(profileKey, hex(v.sealed), context);
    expect(bytesToHex(plaintext)).toBe(v.plaintext);
    expect(bytesToHex(plaintext.subarray(0, 32))).toBe(keys.vaultKey);
    const metadata = JSON.parse(text(plaintext.subarray(32)));
    expect(metadata).toEqual(v.metadata);
    expect(typeof metadata.name).toBe('string');
    expect(typeof metadata.createdAt).toBe('number');
    // Coffer's reader agrees.
    const opened = openVaultRecord(asKey(profileKey, 'profile'), {
      id: v.row.id,
      sealed: hex(v.sealed),
    });
    expect(bytesToHex(opened.key)).toBe(keys.vaultKey);
    expect(opened.metadata).toEqual(v.metadata);
  });

  it('snapshot and update rows: Yjs updates under the storage key, bound to vault and seq', () => {
    const storageKey = nodeHkdf(vaultKey, 'storage', 32);
    for (const [label, v] of [
      ['snapshot', records.snapshot],
      ['update', records.update],
    ] as const) {
      const context = specContext(label, v.row.vault, v.row.seq);
      expect(bytesToHex(context)).toBe(v.context);
      expect(bytesToHex(specOpen(storageKey, hex(v.bytes), context))).toBe(v.plaintext);
      expect(bytesToHex(open(asKey(storageKey, 'storage'), hex(v.bytes), context))).toBe(
        v.plaintext,
      );
      // Moved to another sequence number, it does not open.
      expect(() =>
        specOpen(storageKey, hex(v.bytes), specContext(label, v.row.vault, v.row.seq + 1)),
      ).toThrow();
    }
    expect(records.update.row.seq).toBe(records.snapshot.row.seq + 1);
    // The snapshot, then the rows after it, give the whole document.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, hex(records.snapshot.plaintext));
    Y.applyUpdate(doc, hex(records.update.plaintext));
    const whole = new Y.Doc();
    Y.applyUpdate(whole, hex(records.vaultDocument.update));
    expect(doc.toJSON()).toEqual(whole.toJSON());
  });

  it('profile store, "settings": JSON under the profile key', () => {
    const v = records.settings;
    expect(v.row.id).toBe('settings');
    const context = specContext('settings');
    expect(bytesToHex(context)).toBe(v.context);
    expect(JSON.parse(text(specOpen(profileKey, hex(v.sealed), context)))).toEqual(v.settings);
  });

  it('profile store, "device": Ed25519 seed || JSON { name, createdAt }', () => {
    const v = records.device;
    expect(v.row.id).toBe('device');
    const context = specContext('device');
    expect(bytesToHex(context)).toBe(v.context);
    const plaintext = specOpen(profileKey, hex(v.sealed), context);
    expect(bytesToHex(plaintext.subarray(0, 32))).toBe(v.secretKey);
    expect(JSON.parse(text(plaintext.subarray(32)))).toEqual(v.metadata);
    // The device id is the base64url of the seed's public key (Node derives it).
    const pkcs8 = Buffer.concat([
      Buffer.from('302e020100300506032b657004220420', 'hex'),
      plaintext.subarray(0, 32),
    ]);
    const spki = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }))
      .export({ format: 'der', type: 'spki' })
      .subarray(12);
    expect(spki.toString('hex')).toBe(v.publicKey);
    expect(b64url(spki)).toBe(v.deviceId);
  });

  it('join request: sealed under the invite key, then signed by the device', () => {
    const v = records.joinRequest;
    const secret = hex(v.inviteSecret);
    const inviteId = b64url(nodeHkdf(secret, 'invite-id', 16));
    expect(inviteId).toBe(v.inviteId);
    const inviteKey = nodeHkdf(secret, 'invite-key', 32);
    expect(bytesToHex(inviteKey)).toBe(v.inviteKey);
    const request = hex(v.request);
    const sealed = request.subarray(0, request.length - 64);
    const signature = request.subarray(request.length - 64);
    const signed = Buffer.concat([Buffer.from('coffer/v1/invite-request\0'), sealed]);
    expect(nodeEd25519Verify(fromB64url(v.deviceId), signed, signature)).toBe(true);
    const context = specContext('invite-request', inviteId, v.deviceId);
    expect(bytesToHex(context)).toBe(v.context);
    const body = JSON.parse(text(specOpen(inviteKey, sealed, context)));
    expect(body).toEqual(v.body);
    expect(Object.keys(body)).toEqual(['v', 'device', 'name', 'ephemeral', 'at']);
    expect(body.device).toBe(v.deviceId);
    expect(fromB64url(body.ephemeral)).toHaveLength(32);
    // The token names the invitation; Coffer's reader opens the request.
    const token = parseInvite(v.token);
    expect(bytesToHex(token.secret)).toBe(v.inviteSecret);
    const opened = openJoinRequest(materialOf(secret) as never, v.deviceId, request);
    expect(opened).toBeDefined();
    expect(opened!.name).toBe(v.body.name);
    expect(b64url(opened!.ephemeral)).toBe(v.body.ephemeral);
    expect(opened!.at).toBe(v.body.at);
  });
});

/** The invitation's derived material, from docs/crypto.md with Node's HKDF. */
function materialOf(secret: Uint8Array) {
  return {
    id: b64url(nodeHkdf(secret, 'invite-id', 16)),
    room: `coffer-invite-${b64url(nodeHkdf(secret, 'invite-room', 32))}`,
    password: b64url(nodeHkdf(secret, 'invite-transport', 32)),
    key: nodeHkdf(secret, 'invite-key', 32),
  };
}

describe('records.json: the vault document, read as docs/data-model.md says', () => {
  const v = records.vaultDocument;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, hex(v.update));
  const entries = doc.getMap('entries');
  const entry = (id: string) => {
    const map = entries.get(id);
    expect(map).toBeInstanceOf(Y.Map);
    return map as Y.Map<unknown>;
  };
  const registerOf = (map: Y.Map<unknown>) => {
    const register = map.get('value');
    expect(Array.isArray(register)).toBe(true);
    const [at, json] = register as [number, string];
    expect(typeof at).toBe('number');
    expect(typeof json).toBe('string');
    return { at, value: JSON.parse(json) };
  };

  it('has exactly the top-level maps the model names', () => {
    expect([...doc.share.keys()].sort()).toEqual([
      'devices',
      'entries',
      'invites',
      'meta',
      'reviews',
    ]);
    expect(doc.getMap('meta').toJSON()).toEqual({ nameStyle: 'environment' });
    expect([...entries.keys()].sort()).toEqual(Object.values(v.ids).sort());
  });

  it('an item: value [time, JSON text], and updatedAt untouched by a value change', () => {
    const item = entry(v.ids.item);
    expect([...item.keys()].sort()).toEqual(['createdAt', 'kind', 'name', 'updatedAt', 'value']);
    expect(item.get('name')).toBe('APP_CONFIG');
    expect(item.get('kind')).toBe('item');
    const { at, value } = registerOf(item);
    expect(value).toEqual({ port: 8443, hosts: ['a.example'] });
    // Created at t0, its value replaced later: only the value's own time moved.
    expect(item.get('updatedAt')).toBe(item.get('createdAt'));
    expect(at).toBeGreaterThan(item.get('createdAt') as number);
  });

  it('a secret and a write-only secret', () => {
    const secret = entry(v.ids.secret);
    expect([...secret.keys()].sort()).toEqual([
      'createdAt',
      'kind',
      'name',
      'updatedAt',
      'value',
      'writeOnly',
    ]);
    expect(secret.get('kind')).toBe('secret');
    expect(secret.get('writeOnly')).toBe(false);
    expect(registerOf(secret).value).toBe('s3cr3t-api-key');
    const writeOnly = entry(v.ids.writeOnly);
    expect(writeOnly.get('name')).toBe('DB_PASSWORD');
    expect(writeOnly.get('writeOnly')).toBe(true);
    expect(registerOf(writeOnly).value).toBe('hunter2');
    const { at } = registerOf(writeOnly);
    expect(at).toBe(writeOnly.get('createdAt'));
    expect(writeOnly.get('updatedAt')).toBe(writeOnly.get('createdAt'));
  });

  it('a connection: type and a nested map of { value, secret } fields', () => {
    const connection = entry(v.ids.connection);
    expect([...connection.keys()].sort()).toEqual([
      'createdAt',
      'fields',
      'kind',
      'name',
      'type',
      'updatedAt',
    ]);
    expect(connection.get('kind')).toBe('connection');
    expect(connection.get('type')).toBe('basic-auth');
    const fields = connection.get('fields');
    expect(fields).toBeInstanceOf(Y.Map);
    expect((fields as Y.Map<unknown>).toJSON()).toEqual({
      username: { value: 'octocat', secret: false },
      password: { value: null, secret: true },
    });
  });

  it('devices (one removed, with its removal point), invites and reviews', () => {
    const devices = doc.getMap('devices').toJSON();
    expect(Object.keys(devices).sort()).toEqual(Object.values(v.devices).sort());
    expect(devices[v.devices.inviter]).toEqual({
      name: 'Laptop',
      addedAt: expect.any(Number),
      addedBy: null,
    });
    expect(devices[v.devices.joined].addedBy).toBe(v.devices.inviter);
    const removed = devices[v.devices.removed];
    expect(Object.keys(removed).sort()).toEqual([
      'addedAt',
      'addedBy',
      'name',
      'revokedAfterEnvelope',
      'revokedAfterSeq',
      'revokedAt',
      'revokedBy',
    ]);
    expect(fromB64url(removed.revokedAfterEnvelope)).toHaveLength(32);
    expect(removed.revokedAfterSeq).toBe(42);
    const invites = doc.getMap('invites').toJSON();
    const [inviteId] = Object.keys(invites);
    const invite = invites[inviteId!];
    expect(Object.keys(invite).sort()).toEqual([
      'createdAt',
      'createdBy',
      'expiresAt',
      'secret',
      'singleUse',
      'usedBy',
    ]);
    // The map key is the invite id derived from the secret it holds.
    expect(b64url(nodeHkdf(fromB64url(invite.secret), 'invite-id', 16))).toBe(inviteId);
    expect(invite.usedBy).toEqual([v.devices.joined]);
    expect(doc.getMap('reviews').toJSON()).toEqual({
      [v.ids.secret]: { at: expect.any(Number), devices: [v.devices.inviter, v.devices.joined] },
    });
  });

  it("Coffer's entry store reads the same document", () => {
    const store = createEntryStore(doc, { clock: () => 0, newId: () => 'unused-id-000000' });
    const item = store.getById(asEntryId(v.ids.item))!;
    const register = entry(v.ids.item).get('value') as [number, string];
    expect(item.value).toEqual(JSON.parse(register[1]));
    // The entry's updatedAt, as the API gives it, is the later of updatedAt and the value's time.
    expect(item.updatedAt).toBe(register[0]);
    expect(store.get('GITHUB')?.value).toEqual({
      type: 'basic-auth',
      fields: {
        password: { value: null, secret: true },
        username: { value: 'octocat', secret: false },
      },
    });
    expect(store.nameStyle).toBe('environment');
  });
});
