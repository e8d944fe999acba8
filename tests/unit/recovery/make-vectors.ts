/**
 * Writes tests/vectors/recovery.json, the recovery kit's test vectors (docs/crypto.md,
 * "Recovery kit"). Run `npx tsx tests/unit/recovery/make-vectors.ts`; the tests only read the
 * file. Every input is fixed (code bytes, profile id, profile key, created-at time, both
 * nonces), and every intermediate value is written out, so a second implementation needs none
 * of this code.
 */
import { writeFileSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '@noble/ciphers/utils.js';
import { asKey, associatedData, keyIdOf, type ProfileId } from '../../../src/core/crypto';
import { sealWithNonce } from '../../../src/core/crypto/envelope';
import {
  checkSymbol,
  deriveRecoveryKey,
  formatRecoveryCode,
  groupSizes,
  type RecoveryCodeBytes,
  sealRecoveryRecord,
} from '../../../src/core/recovery';

const hex = bytesToHex;
const fill = (length: number, from: number) =>
  Uint8Array.from({ length }, (_, i) => (from + i * 7) & 0xff);

// SHA-256("coffer recovery vector 2")[0..16]: a code with 0, 1 and a check symbol beyond base32 ($).
const codeBytes = hexToBytes('c62070ccca2c7cd8d53a009c4f5061f0') as RecoveryCodeBytes;
const profileId = fill(16, 0x40) as ProfileId;
const profileKeyBytes = fill(32, 0x90);
const createdAt = 1767225600000; // 2026-01-01T00:00:00Z
const keyNonce = fill(24, 0x11);
const infoNonce = fill(24, 0x22);

const code = formatRecoveryCode(codeBytes);
const recoveryKey = deriveRecoveryKey(codeBytes, profileId);
const recoveryKeyHex = hex(recoveryKey);
const recoveryKeyId = hex(keyIdOf(recoveryKey));
const profileKey = asKey(profileKeyBytes.slice(), 'profile');
const record = sealRecoveryRecord(codeBytes, profileId, profileKey, createdAt, {
  sealKey: (key, plaintext, context) => sealWithNonce(key, plaintext, context, keyNonce),
  sealInfo: (key, plaintext, context) => sealWithNonce(key, plaintext, context, infoNonce),
});
const header = record.slice(0, 37);

const vectors = {
  comment:
    'Recovery kit vectors (docs/crypto.md, "Recovery kit"). Written by tests/unit/recovery/make-vectors.ts; checked by tests/unit/recovery/vectors.test.ts.',
  code: {
    bytes: hex(codeBytes),
    groups: groupSizes,
    checks: code.split('-').map((group, i) => ({
      group: i + 1,
      data: group.slice(0, -1),
      check: checkSymbol(i + 1, group.slice(0, -1)),
    })),
    text: code,
    typed: [
      code.toLowerCase(),
      code.replace(/-/g, ' '),
      code.replace(/-/g, ''),
      ` ${code.toLowerCase().replace(/1/g, 'l').replace(/0/g, 'o')} `,
    ],
  },
  recoveryKey: {
    codeBytes: hex(codeBytes),
    profileId: hex(profileId),
    info: 'coffer/v1/recovery',
    key: recoveryKeyHex,
    keyId: recoveryKeyId,
  },
  record: {
    codeBytes: hex(codeBytes),
    profileId: hex(profileId),
    profileKey: hex(profileKeyBytes),
    createdAt,
    header: hex(header),
    keyNonce: hex(keyNonce),
    keyContext: hex(associatedData('recovery-key', header)),
    infoNonce: hex(infoNonce),
    infoContext: hex(associatedData('recovery-info', header)),
    record: hex(record),
  },
};

writeFileSync(
  new URL('../../vectors/recovery.json', import.meta.url),
  `${JSON.stringify(vectors, null, 2)}\n`,
);
