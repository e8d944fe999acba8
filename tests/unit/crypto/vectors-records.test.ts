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
  diffieHellman,
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
import { inviteMaterial, parseInvite } from '../../../src/core/sync';
import { openJoinRequest } from '../../../src/core/sync/invite';
import { openJoinAnswer } from '../../../src/core/sync/invite-answer';
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
    key: asKey(nodeHkdf(secret, 'invite-key', 32), 'invite'),
  };
}

/** Node's Ed25519 public key of a 32-byte seed (RFC 8032). */
function nodeEd25519Public(seed: Uint8Array): Uint8Array {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  return new Uint8Array(
    createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }))
      .export({ format: 'der', type: 'spki' })
      .subarray(12),
  );
}

/** Node's X25519 (RFC 7748): the public key of `secret`, and its shared secret with `peer`. */
function nodeX25519(secret: Uint8Array, peer?: Uint8Array) {
  const privateKey = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), secret]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = new Uint8Array(
    createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(12),
  );
  if (peer === undefined) return { publicKey, shared: undefined };
  const peerKey = createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), peer]),
    format: 'der',
    type: 'spki',
  });
  return { publicKey, shared: new Uint8Array(diffieHellman({ privateKey, publicKey: peerKey })) };
}

describe('records.json: the join answer, opened by the new device from the spec', () => {
  const v = records.joinAnswer;
  // What the new device holds: the link's token, its device id, its request's X25519 secret.
  const tokenBytes = fromB64url(v.token);
  const answer = hex(v.answer);

  it('the token is version 2 and carries the answer key (docs/crypto.md, "Invitations")', () => {
    expect(tokenBytes).toHaveLength(105);
    expect(tokenBytes[0]).toBe(0x02);
    const secret = tokenBytes.subarray(1, 33);
    // The same invitation as the join request's version 1 token: only the answer key is new.
    expect(bytesToHex(secret)).toBe(records.joinRequest.inviteSecret);
    expect(bytesToHex(tokenBytes.subarray(0 + 1, 73))).toBe(
      bytesToHex(fromB64url(records.joinRequest.token).subarray(1, 73)),
    );
    expect(b64url(nodeHkdf(secret, 'invite-id', 16))).toBe(v.inviteId);
    expect(b64url(tokenBytes.subarray(33, 49))).toBe(keys.vaultId);
    expect(bytesToHex(tokenBytes.subarray(73, 105))).toBe(v.answerKeyPublic);
    // Any holder of the vault key derives the answer key's seed; its public half is the token's.
    const seed = nodeHkdf(
      new Uint8Array(Buffer.concat([vaultKey, fromB64url(v.inviteId)])),
      'invite-answer',
      32,
    );
    expect(bytesToHex(seed)).toBe(v.answerKeySecret);
    expect(bytesToHex(nodeEd25519Public(seed))).toBe(v.answerKeyPublic);
  });

  it('opens with the key agreed with the request, and both signatures verify', () => {
    expect(v.requestEphemeralSecret).toBe(records.joinRequest.ephemeralSecret);
    expect(v.deviceId).toBe(records.joinRequest.deviceId);
    const E = answer.subarray(0, 32);
    const { publicKey: ephemeral, shared } = nodeX25519(hex(v.requestEphemeralSecret), E);
    expect(b64url(ephemeral)).toBe(records.joinRequest.body.ephemeral);
    expect(bytesToHex(shared!)).toBe(v.shared);
    const K = nodeHkdf(
      new Uint8Array(Buffer.concat([shared!, E, ephemeral])),
      'invite-response',
      32,
    );
    expect(bytesToHex(K)).toBe(v.key);
    const context = specContext('invite-response', v.inviteId, v.deviceId);
    expect(bytesToHex(context)).toBe(v.context);
    const sealed = answer.subarray(32);
    expect(bytesToHex(sealed.subarray(18, 42))).toBe(v.nonce);
    const plaintext = specOpen(K, sealed, context);
    const answerKeySignature = plaintext.subarray(0, 64);
    const deviceSignature = plaintext.subarray(64, 128);
    const bodyBytes = plaintext.subarray(128);
    const body = JSON.parse(text(bodyBytes));
    expect(body).toEqual(v.body);
    expect(Object.keys(body)).toEqual(['v', 'ok', 'vaultId', 'name', 'key', 'inviter', 'members']);
    expect(body.v).toBe(2);
    expect(body.members).toContain(body.inviter);
    // T = context("invite-answer", invite id, device id, ephemeral, E, body)
    const transcript = specContext(
      'invite-answer',
      v.inviteId,
      v.deviceId,
      ephemeral,
      E,
      bodyBytes,
    );
    expect(bytesToHex(transcript)).toBe(v.transcript);
    const signed = Buffer.concat([Buffer.from('coffer/v1/invite-answer\0'), transcript]);
    expect(nodeEd25519Verify(fromB64url(body.inviter), signed, deviceSignature)).toBe(true);
    expect(nodeEd25519Verify(tokenBytes.subarray(73, 105), signed, answerKeySignature)).toBe(true);
    expect(bytesToHex(answerKeySignature)).toBe(v.answerKeySignature);
    expect(bytesToHex(deviceSignature)).toBe(v.deviceSignature);
    // Neither signature verifies for the other signer, or for a request's domain.
    expect(nodeEd25519Verify(fromB64url(body.inviter), signed, answerKeySignature)).toBe(false);
    const asRequest = Buffer.concat([Buffer.from('coffer/v1/invite-request\0'), transcript]);
    expect(nodeEd25519Verify(fromB64url(body.inviter), asRequest, deviceSignature)).toBe(false);
    // The vault it names is the token's, with the key whose id the token carries.
    expect(body.vaultId).toBe(b64url(tokenBytes.subarray(33, 49)));
    const key = fromB64url(body.key);
    expect(bytesToHex(key)).toBe(keys.vaultKey);
    expect(bytesToHex(nodeHkdf(key, 'key-id', 16))).toBe(bytesToHex(tokenBytes.subarray(49, 65)));
  });

  it("Coffer's reader accepts it, and refuses it for another device or a changed byte", () => {
    const token = parseInvite(v.token);
    const material = inviteMaterial(token.secret);
    expect(material.id).toBe(v.inviteId);
    const ephemeralSecret = hex(v.requestEphemeralSecret);
    const opened = openJoinAnswer(material, token, v.deviceId, ephemeralSecret, answer);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(bytesToHex(opened.key)).toBe(keys.vaultKey);
    expect(opened.vaultId).toBe(keys.vaultId);
    expect(opened.name).toBe(v.body.name);
    expect(opened.inviter).toBe(v.inviterId);
    expect(opened.members).toEqual(v.body.members);
    expect(() => openJoinAnswer(material, token, v.inviterId, ephemeralSecret, answer)).toThrow();
    const flipped = answer.slice();
    flipped[flipped.length - 1]! ^= 1;
    expect(() => openJoinAnswer(material, token, v.deviceId, ephemeralSecret, flipped)).toThrow();
  });
});

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
