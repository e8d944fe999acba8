/**
 * Writes tests/vectors/backup.json: a known-answer backup file for docs/crypto.md, "Backups",
 * so a second implementation can check itself against every step (scrypt, HKDF, key id,
 * header, chunking, associated data, nonces, gzip, payload). Every input is fixed here, so
 * running it again (`npx tsx tests/vectors/backup-make.ts`) gives the same file; the tests load
 * it, they never regenerate it.
 */
import { writeFileSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '@noble/ciphers/utils.js';
import * as Y from 'yjs';
import { gzip } from '../../src/core/backup/compress';
import { encodeBackupHeader, sealChunks } from '../../src/core/backup/format';
import { encodePayload } from '../../src/core/backup/payload';
import {
  asKey,
  hkdfLabel,
  inProcessKdf,
  keyIdOf,
  normalizePassphrase,
  scryptFloor,
} from '../../src/core/crypto';
// Not exported from src/core/crypto (a caller's nonce is for known answers only).
import { sealWithNonce } from '../../src/core/crypto/envelope';

const passphrase = 'backup passphrase é';
const salt = hexToBytes('b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf');
const params = scryptFloor;
const chunkLog = 8;

/** A vault document as the vault module lays it out, with a fixed Yjs client id. */
function vaultContent(): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 1;
  doc.transact(() => {
    doc.getMap('meta').set('nameStyle', 'environment');
    const entries = doc.getMap<Y.Map<unknown>>('entries');
    const names = ['API_KEY', 'DATABASE_URL', 'REGION', 'TIMEOUT_SECONDS', 'FEATURE_FLAGS'];
    names.forEach((name, i) => {
      const entry = new Y.Map<unknown>();
      entries.set(`entry-${i}-aaaaaaaaaaaaaa`, entry);
      entry.set('name', name);
      entry.set('kind', i === 0 ? 'secret' : 'item');
      entry.set('createdAt', 1_767_225_600_000 + i);
      entry.set('updatedAt', 1_767_225_600_000 + i);
      entry.set('value', [1_767_225_600_000 + i, JSON.stringify(`value of ${name} `.repeat(4))]);
      if (i === 0) entry.set('writeOnly', true);
    });
    const versions = new Y.Array<unknown>();
    versions.push([{ value: '"an older API key"', at: 1_767_225_500_000 }]);
    doc.getMap('history').set('entry-0-aaaaaaaaaaaaaa', versions);
  });
  return Y.encodeStateAsUpdate(doc);
}

const contents = {
  createdAt: 1_767_312_000_000,
  scope: 'profile' as const,
  settings: { autoLockMinutes: 15 },
  vaults: [
    {
      name: 'production',
      createdAt: 1_767_225_600_000,
      nameStyle: 'environment' as const,
      content: vaultContent(),
    },
  ],
};

const master = await inProcessKdf({ passphrase: normalizePassphrase(passphrase), salt, params });
const payloadKey = asKey(hkdfLabel(master, 'backup-payload', 32), 'kek');
const keyId = keyIdOf(payloadKey);
const header = encodeBackupHeader(params, salt, keyId, chunkLog);
const payload = encodePayload(contents);
const stream = await gzip(payload);
const nonces: Uint8Array[] = [];
const contexts: Uint8Array[] = [];
let index = 0;
const chunks = sealChunks(payloadKey, header, chunkLog, stream, (key, plaintext, context) => {
  const nonce = new Uint8Array(24).fill(0x40 + index);
  index++;
  nonces.push(nonce);
  contexts.push(context);
  return sealWithNonce(key, plaintext, context, nonce);
});
const file = new Uint8Array([...header, ...chunks.flatMap((chunk) => [...chunk])]);
const count = chunks.length;

const vector = {
  description:
    'Known answers for docs/crypto.md, "Backups". Hex strings; text as UTF-8. Nonce i is 24 bytes of 0x40 + i.',
  passphrase,
  salt: bytesToHex(salt),
  kdf: { algorithm: 'scrypt', logN: params.logN, r: params.r, p: params.p },
  chunkLog,
  masterKey: bytesToHex(master),
  payloadKey: bytesToHex(payloadKey),
  keyId: bytesToHex(keyId),
  header: bytesToHex(header),
  payload: bytesToHex(payload),
  manifest: JSON.parse(
    new TextDecoder().decode(payload.subarray(4, 4 + new DataView(payload.buffer).getUint32(0))),
  ),
  gzipStream: bytesToHex(stream),
  chunks: chunks.map((chunk, i) => ({
    nonce: bytesToHex(nonces[i]!),
    associatedData: bytesToHex(contexts[i]!),
    last: i === count - 1,
    sealed: bytesToHex(chunk),
  })),
  file: bytesToHex(file),
};
writeFileSync(new URL('./backup.json', import.meta.url), `${JSON.stringify(vector, null, 2)}\n`);
console.log(`backup.json: ${count} chunks, ${file.length} bytes`);
