/**
 * Writes tests/vectors/crypto.json and tests/vectors/records.json: known answers for
 * docs/crypto.md and docs/data-model.md, so a second implementation can check itself and this
 * one cannot drift. Run once when a format changes (`tsx scripts/make-crypto-vectors.ts`); the
 * tests load the files, they do not regenerate them.
 *
 * records.json has one vector for every kind of record the spec defines. Coffer's own sealing
 * functions choose their nonces (and X25519 keys) at random, so the records are built here from
 * the spec's construction with fixed nonces; the tests check both that Coffer opens them and
 * that the spec's derivations, written out with independent implementations, do.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '@noble/ciphers/utils.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import * as Y from 'yjs';
import {
  asKey,
  associatedData,
  concat,
  createKeyring,
  deriveSubkey,
  hkdfLabel,
  inProcessKdf,
  keyIdOf,
  runScrypt,
  scryptFloor,
  toBase64url,
  unlockKeyring,
  utf8,
} from '../src/core/crypto';
// Not exported from src/core/crypto (a caller's nonce is for known answers only).
import { sealWithNonce } from '../src/core/crypto/envelope';
import { deviceIdentityFromSecret, signAs } from '../src/core/device';
import { encodeInviteToken, inviteMaterial } from '../src/core/sync';
import { inviteAnswerKey } from '../src/core/sync/invite-answer';
import { asEntryId, createEntryStore } from '../src/core/vault';
import { writeDevice, writeInvite, writeReview } from '../src/core/vault/members';

const key = asKey(
  hexToBytes('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'),
  'vault',
);
const nonce = hexToBytes('404142434445464748494a4b4c4d4e4f5051525354555657');
const vaultId = hexToBytes('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf');
const context = associatedData('update', vaultId, 7);
const plaintext = utf8('{"API_KEY":"s3cr3t"}');
const passphrase = 'correct horse battery staple é';

// The keyring vector's salt, profile id, profile key and nonce are random (createKeyring makes
// them), so a keyring already written is kept, once checked, and the file only changes where a
// format did.
const cryptoJson = new URL('../tests/vectors/crypto.json', import.meta.url);
const kdfOptions = { kdf: inProcessKdf, policy: { floor: scryptFloor, target: scryptFloor } };
async function keyringVector(): Promise<{ keyring: Uint8Array; profileKey: Uint8Array }> {
  if (existsSync(cryptoJson)) {
    const previous = JSON.parse(readFileSync(cryptoJson, 'utf8')).keyring;
    if (previous?.passphrase === passphrase) {
      const keyring = hexToBytes(previous.keyring);
      const unlocked = await unlockKeyring(keyring, passphrase, kdfOptions);
      if (bytesToHex(unlocked.profileKey) !== previous.profileKey)
        throw new Error('the stored keyring vector does not unlock to its profile key');
      return { keyring, profileKey: unlocked.profileKey };
    }
  }
  return createKeyring(passphrase, kdfOptions);
}
const { keyring, profileKey } = await keyringVector();

// The same keyring construction with every random part fixed, under a passphrase that is not
// NFC ("e" + U+0301 COMBINING ACUTE ACCENT): its key comes from the NFC form's UTF-8.
const nfdPassphrase = 'cafe\u0301 cre\u0300me bru\u0302le\u0301e';
const nfdSalt = hexToBytes('b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf');
const nfdProfileId = hexToBytes('d0d1d2d3d4d5d6d7d8d9dadbdcdddedf');
const nfdProfileKey = asKey(
  hexToBytes('f0f1f2f3f4f5f6f7f8f9fafbfcfdfefff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff'),
  'profile',
);
const nfdNonce = hexToBytes('606162636465666768696a6b6c6d6e6f7071727374757677');
const nfdKek = asKey(
  await runScrypt({
    passphrase: utf8(nfdPassphrase.normalize('NFC')),
    salt: nfdSalt,
    params: { algorithm: 'scrypt', logN: 17, r: 8, p: 1 },
  }),
  'kek',
);
const nfdHead = concat(
  utf8('CFRK'),
  new Uint8Array([1, 1, 17, 8, 1]),
  nfdSalt,
  nfdProfileId,
  keyIdOf(nfdKek),
);
const nfdBody = concat(
  nfdHead,
  sealWithNonce(nfdKek, nfdProfileKey, associatedData('profile-key', nfdHead), nfdNonce),
);
const nfdKeyring = concat(nfdBody, sha256(nfdBody));

const textVaultId = toBase64url(vaultId);

const vectors = {
  description: 'Known answers for docs/crypto.md. Hex strings; text as UTF-8.',
  keyId: { key: bytesToHex(key), keyId: bytesToHex(keyIdOf(key)) },
  subkeys: {
    key: bytesToHex(key),
    storage: bytesToHex(deriveSubkey(key, 'storage')),
    transport: bytesToHex(deriveSubkey(key, 'transport')),
  },
  associatedData: {
    label: 'update',
    fields: [{ bytes: bytesToHex(vaultId) }, { u64: 7 }],
    encoded: bytesToHex(context),
  },
  associatedDataText: {
    description: 'As records use it: the vault id as its base64url text (22 ASCII bytes).',
    label: 'update',
    fields: [{ text: textVaultId }, { u64: 7 }],
    encoded: bytesToHex(associatedData('update', textVaultId, 7)),
  },
  envelope: {
    key: bytesToHex(key),
    nonce: bytesToHex(nonce),
    plaintext: bytesToHex(plaintext),
    context: bytesToHex(context),
    // The same bytes as a sealing key: a vault key itself never seals.
    envelope: bytesToHex(sealWithNonce(asKey(key.slice(), 'storage'), plaintext, context, nonce)),
  },
  keyring: {
    passphrase,
    keyring: bytesToHex(keyring),
    profileKey: bytesToHex(profileKey),
  },
  keyringNfd: {
    description:
      'A passphrase typed decomposed (NFD); the keyring is built with the NFC form. Salt, profile id, profile key and nonce are fixed.',
    passphrase: nfdPassphrase,
    passphraseNfcUtf8: bytesToHex(utf8(nfdPassphrase.normalize('NFC'))),
    salt: bytesToHex(nfdSalt),
    profileId: bytesToHex(nfdProfileId),
    kek: bytesToHex(nfdKek),
    nonce: bytesToHex(nfdNonce),
    keyring: bytesToHex(nfdKeyring),
    profileKey: bytesToHex(nfdProfileKey),
  },
};

writeFileSync(cryptoJson, `${JSON.stringify(vectors, null, 2)}\n`);
console.log('wrote tests/vectors/crypto.json');

// ---------- records.json: one vector for every record kind ----------

const hex = bytesToHex;
const profileKey2 = asKey(
  hexToBytes('202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f'),
  'profile',
);
const vaultKey = key; // 00..1f, the vault key of tests/vectors/sync.json too
const storageKey = deriveSubkey(vaultKey, 'storage');
const nonceOf = (n: number) => new Uint8Array(24).fill(n);
// RFC 8032 section 7.1, tests 1 and 2: the new device and the device that answers.
const newDevice = deviceIdentityFromSecret(
  hexToBytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'),
);
const inviter = deviceIdentityFromSecret(
  hexToBytes('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb'),
);
const removedDevice = deviceIdentityFromSecret(new Uint8Array(32).fill(0x33));

// The vault document: every kind of entry, the meta map, devices (one removed), an invite and a
// review mark. Fixed Yjs client id, clock and ids, so the bytes are reproducible.
const doc = new Y.Doc();
doc.clientID = 1_234_567;
const t0 = 1_700_000_000_000;
let now = t0;
const ids = ['ItemId_AAAAAAAAA', 'SecretId_AAAAAAA', 'WriteOnlyId_AAAA', 'ConnectionId_AAA'];
const store = createEntryStore(doc, { clock: () => now, newId: () => ids.shift()! });
store.set('APP_CONFIG', { kind: 'item', value: { port: 8080, hosts: ['a.example', 'b.example'] } });
store.set('API_KEY', { kind: 'secret', value: 's3cr3t-api-key' });
store.set('DB_PASSWORD', { kind: 'secret', value: 'hunter2', writeOnly: true });
store.set('GITHUB', {
  kind: 'connection',
  value: {
    type: 'basic-auth',
    fields: {
      username: { value: 'octocat', secret: false },
      password: { value: null, secret: true },
    },
  },
});
now = t0 + 1000;
store.nameStyle = 'environment';
doc.transact(() => {
  writeDevice(doc, { id: inviter.id, name: 'Laptop', addedAt: t0, addedBy: null });
  writeDevice(doc, { id: newDevice.id, name: 'Phone', addedAt: t0 + 500, addedBy: inviter.id });
  writeDevice(doc, {
    id: removedDevice.id,
    name: 'Old tablet',
    addedAt: t0 + 100,
    addedBy: inviter.id,
    revokedAfterSeq: 42,
    revokedAfterEnvelope: toBase64url(sha256(utf8('the last envelope accepted'))),
    revokedAt: t0 + 900,
    revokedBy: inviter.id,
  });
  writeInvite(doc, {
    id: inviteMaterial(new Uint8Array(32).fill(0xc0)).id,
    secret: toBase64url(new Uint8Array(32).fill(0xc0)),
    createdAt: t0 + 200,
    expiresAt: t0 + 200 + 86_400_000,
    singleUse: true,
    createdBy: inviter.id,
    usedBy: [newDevice.id],
  });
  writeReview(doc, {
    entryId: asEntryId('SecretId_AAAAAAA'),
    at: t0 + 800,
    devices: [inviter.id, newDevice.id],
  });
});
const snapshotState = Y.encodeStateAsUpdate(doc);
// The last change, one update row after the snapshot: a new value for the item only.
let lastUpdate: Uint8Array | undefined;
doc.on('update', (update: Uint8Array) => {
  lastUpdate = update;
});
now = t0 + 2000;
store.set('APP_CONFIG', { kind: 'item', value: { port: 8443, hosts: ['a.example'] } });
if (lastUpdate === undefined) throw new Error('no update');
const wholeDocument = Y.encodeStateAsUpdate(doc);

const catalogMetadata = {
  name: 'Production',
  createdAt: t0,
  introducedBy: inviter.id,
  introducedMembers: [inviter.id],
};
const catalogPlaintext = concat(vaultKey, utf8(JSON.stringify(catalogMetadata)));
const settings = {
  autoLockMinutes: 5,
  clipboardClearSeconds: 30,
  pageSize: 10,
  theme: 'system',
  signalingUrls: ['wss://signal.example/signal'],
  lastVaultId: textVaultId,
  evictionNoticeDismissed: false,
};
const deviceMetadata = { name: 'Phone', createdAt: t0 + 500 };
const snapshotSeq = 5;
const updateSeq = 6;

// Invitation: secret c0..df and token as in tests/vectors/sync.json.
const inviteSecret = hexToBytes('c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf');
const invite = inviteMaterial(inviteSecret);
const token = encodeInviteToken({
  secret: inviteSecret,
  vaultId: textVaultId,
  keyId: keyIdOf(vaultKey),
  expiresAt: 1_900_000_000_000,
});
// RFC 7748 section 6.1, Alice's private key: the request's ephemeral X25519 key.
const requestEphemeralSecret = hexToBytes(
  '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
);
const requestEphemeral = x25519.getPublicKey(requestEphemeralSecret);
const requestBody = {
  v: 1,
  device: newDevice.id,
  name: 'Phone',
  ephemeral: toBase64url(requestEphemeral),
  at: t0 + 400,
};
const requestSealed = sealWithNonce(
  invite.key,
  utf8(JSON.stringify(requestBody)),
  associatedData('invite-request', invite.id, newDevice.id),
  nonceOf(0x71),
);
const request = concat(requestSealed, signAs(newDevice, 'invite-request', requestSealed));

// The join answer (docs/crypto.md, "Invitations"), version 2, built from the spec's construction
// with the answering device's X25519 key and the nonce fixed: an acceptance by `inviter` to the
// request above, for an invitation whose link is a version 2 token (with the answer key).
const answerToken = encodeInviteToken({
  secret: inviteSecret,
  vaultId: textVaultId,
  keyId: keyIdOf(vaultKey),
  expiresAt: 1_900_000_000_000,
  answerKey: inviteAnswerKey(vaultKey, invite.id).publicKey,
});
// RFC 7748 section 6.1, Bob's private key: the answering device's ephemeral X25519 key.
const answerEphemeralSecret = hexToBytes(
  '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb',
);
const answerEphemeral = x25519.getPublicKey(answerEphemeralSecret);
const answerShared = x25519.getSharedSecret(answerEphemeralSecret, requestEphemeral);
const answerKeyK = asKey(
  hkdfLabel(concat(answerShared, answerEphemeral, requestEphemeral), 'invite-response', 32),
  'invite',
);
const answerBody = {
  v: 2,
  ok: true,
  vaultId: textVaultId,
  name: 'Production',
  key: toBase64url(vaultKey),
  inviter: inviter.id,
  members: [inviter.id],
};
const answerBodyBytes = utf8(JSON.stringify(answerBody));
const answerTranscript = associatedData(
  'invite-answer',
  invite.id,
  newDevice.id,
  requestEphemeral,
  answerEphemeral,
  answerBodyBytes,
);
const answerSigner = inviteAnswerKey(vaultKey, invite.id);
const answerKeySignature = signAs(answerSigner, 'invite-answer', answerTranscript);
const answerDeviceSignature = signAs(inviter, 'invite-answer', answerTranscript);
const answerPlaintext = concat(answerKeySignature, answerDeviceSignature, answerBodyBytes);
const answerContext = associatedData('invite-response', invite.id, newDevice.id);
const answer = concat(
  answerEphemeral,
  sealWithNonce(answerKeyK, answerPlaintext, answerContext, nonceOf(0x72)),
);

/** A sealed record as the vectors show it: its context, nonce and sealed bytes (as `field`). */
function sealedRecord(
  field: 'bytes' | 'sealed',
  key: Parameters<typeof sealWithNonce>[0],
  plaintext: Uint8Array,
  context: Uint8Array,
  nonceByte: number,
): Record<string, string> {
  const nonce = nonceOf(nonceByte);
  return {
    context: hex(context),
    nonce: hex(nonce),
    [field]: hex(sealWithNonce(key, plaintext, context, nonce)),
  };
}

const records = {
  description:
    'One record of every kind docs/crypto.md and docs/data-model.md define. Hex strings; text as is; JSON members are what the sealed JSON holds.',
  keys: {
    profileKey: hex(profileKey2),
    vaultKey: hex(vaultKey),
    storageKey: hex(storageKey),
    vaultId: textVaultId,
  },
  catalog: {
    row: { id: textVaultId },
    metadata: catalogMetadata,
    plaintext: hex(catalogPlaintext),
    ...sealedRecord(
      'sealed',
      profileKey2,
      catalogPlaintext,
      associatedData('vault', textVaultId),
      0x11,
    ),
  },
  snapshot: {
    row: { vault: textVaultId, seq: snapshotSeq },
    plaintext: hex(snapshotState),
    ...sealedRecord(
      'bytes',
      storageKey,
      snapshotState,
      associatedData('snapshot', textVaultId, snapshotSeq),
      0x12,
    ),
  },
  update: {
    row: { vault: textVaultId, seq: updateSeq },
    plaintext: hex(lastUpdate),
    ...sealedRecord(
      'bytes',
      storageKey,
      lastUpdate,
      associatedData('update', textVaultId, updateSeq),
      0x13,
    ),
  },
  settings: {
    row: { id: 'settings' },
    settings,
    ...sealedRecord(
      'sealed',
      profileKey2,
      utf8(JSON.stringify(settings)),
      associatedData('settings'),
      0x14,
    ),
  },
  device: {
    row: { id: 'device' },
    secretKey: hex(newDevice.secretKey),
    publicKey: hex(newDevice.publicKey),
    deviceId: newDevice.id,
    metadata: deviceMetadata,
    ...sealedRecord(
      'sealed',
      profileKey2,
      concat(newDevice.secretKey, utf8(JSON.stringify(deviceMetadata))),
      associatedData('device'),
      0x15,
    ),
  },
  joinRequest: {
    token,
    inviteSecret: hex(inviteSecret),
    inviteId: invite.id,
    inviteKey: hex(invite.key),
    deviceSecret: hex(newDevice.secretKey),
    deviceId: newDevice.id,
    ephemeralSecret: hex(requestEphemeralSecret),
    body: requestBody,
    context: hex(associatedData('invite-request', invite.id, newDevice.id)),
    nonce: hex(nonceOf(0x71)),
    request: hex(request),
  },
  joinAnswer: {
    description:
      'The answer (v 2, an acceptance) to joinRequest, by the answering device, for the same invitation with a version 2 token. The new device opens it with token, deviceId and requestEphemeralSecret (joinRequest.ephemeralSecret).',
    token: answerToken,
    inviteId: invite.id,
    deviceId: newDevice.id,
    requestEphemeralSecret: hex(requestEphemeralSecret),
    requestEphemeral: hex(requestEphemeral),
    answerKeySecret: hex(answerSigner.secretKey),
    answerKeyPublic: hex(answerSigner.publicKey),
    inviterSecret: hex(inviter.secretKey),
    inviterId: inviter.id,
    ephemeralSecret: hex(answerEphemeralSecret),
    ephemeral: hex(answerEphemeral),
    shared: hex(answerShared),
    key: hex(answerKeyK),
    body: answerBody,
    transcript: hex(answerTranscript),
    answerKeySignature: hex(answerKeySignature),
    deviceSignature: hex(answerDeviceSignature),
    context: hex(answerContext),
    nonce: hex(nonceOf(0x72)),
    answer: hex(answer),
  },
  vaultDocument: {
    description:
      'Y.encodeStateAsUpdate of a vault document: the snapshot above with the update row applied.',
    ids: {
      item: 'ItemId_AAAAAAAAA',
      secret: 'SecretId_AAAAAAA',
      writeOnly: 'WriteOnlyId_AAAA',
      connection: 'ConnectionId_AAA',
    },
    devices: { inviter: inviter.id, joined: newDevice.id, removed: removedDevice.id },
    update: hex(wholeDocument),
  },
};

writeFileSync(
  new URL('../tests/vectors/records.json', import.meta.url),
  `${JSON.stringify(records, null, 2)}\n`,
);
console.log('wrote tests/vectors/records.json');
