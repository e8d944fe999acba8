/**
 * What a backup holds, before compression (docs/crypto.md, "Backups", "Payload"):
 *
 *   payload = u32be(m) || manifest (m bytes of UTF-8 JSON)
 *             || for each vault in manifest.vaults: u32be(k) || Yjs update v1 (k bytes)
 *
 * with nothing after the last update. The manifest:
 *
 *   { "v": 1, "createdAt": <ms>, "scope": "profile" | "vault", "settings": <object> | null,
 *     "vaults": [{ "name": <string>, "createdAt": <ms>, "nameStyle": "default" | "environment" }] }
 *
 * Each update is the state of a document holding only the vault's content maps. A reader checks
 * every part (the shapes, that each update applies and has no other roots) before anything is
 * written.
 */
import * as Y from 'yjs';
import { concat, fromUtf8, readU32be, u32be, utf8 } from '../crypto';
import { foreignRoots } from './content-copy';
import { BackupInvalidError, BackupUnsupportedError } from './errors';

export const payloadVersion = 1;

/** One vault in a backup: its name, when it was made, its naming rule, and its content. */
export interface BackupVault {
  readonly name: string;
  readonly createdAt: number;
  readonly nameStyle: 'default' | 'environment';
  /** A Yjs update (v1) of a document holding only the vault's content maps. */
  readonly content: Uint8Array;
}

/** A backup's contents, opened and checked. */
export interface BackupContents {
  readonly createdAt: number;
  readonly scope: 'profile' | 'vault';
  /** The profile's settings record as it was saved (a JSON object); null in a vault's backup. */
  readonly settings: Record<string, unknown> | null;
  readonly vaults: readonly BackupVault[];
}

export function encodePayload(contents: BackupContents): Uint8Array {
  const manifest = utf8(
    JSON.stringify({
      v: payloadVersion,
      createdAt: contents.createdAt,
      scope: contents.scope,
      settings: contents.settings,
      vaults: contents.vaults.map(({ name, createdAt, nameStyle }) => ({
        name,
        createdAt,
        nameStyle,
      })),
    }),
  );
  const parts: Uint8Array[] = [u32be(manifest.length), manifest];
  for (const vault of contents.vaults) parts.push(u32be(vault.content.length), vault.content);
  return concat(...parts);
}

const bad = (cause?: unknown): BackupInvalidError =>
  new BackupInvalidError('payload', undefined, cause === undefined ? undefined : { cause });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function readManifest(bytes: Uint8Array): {
  createdAt: number;
  scope: 'profile' | 'vault';
  settings: Record<string, unknown> | null;
  vaults: Omit<BackupVault, 'content'>[];
} {
  let manifest: unknown;
  try {
    manifest = JSON.parse(fromUtf8(bytes));
  } catch (error) {
    throw bad(error);
  }
  if (!isRecord(manifest)) throw bad();
  if (manifest.v !== payloadVersion) {
    if (typeof manifest.v === 'number' && Number.isInteger(manifest.v) && manifest.v > 1)
      throw new BackupUnsupportedError('payload-version', manifest.v);
    throw bad();
  }
  const { createdAt, scope, settings, vaults } = manifest;
  if (!isTime(createdAt) || (scope !== 'profile' && scope !== 'vault')) throw bad();
  if (settings !== null && !isRecord(settings)) throw bad();
  if (!Array.isArray(vaults)) throw bad();
  const read = vaults.map((vault) => {
    if (!isRecord(vault)) throw bad();
    const { name, createdAt: made, nameStyle } = vault;
    if (typeof name !== 'string' || name.length === 0 || name.length > 1000) throw bad();
    if (!isTime(made) || (nameStyle !== 'default' && nameStyle !== 'environment')) throw bad();
    return { name, createdAt: made, nameStyle } as const;
  });
  return { createdAt, scope, settings, vaults: read };
}

/** Checks that `update` applies on its own and holds only content maps. */
function checkContent(update: Uint8Array): void {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
    const complete = doc.store.pendingStructs === null && doc.store.pendingDs === null;
    if (!complete || foreignRoots(doc).length > 0) throw bad();
  } catch (error) {
    if (error instanceof BackupInvalidError) throw error;
    throw bad(error);
  } finally {
    doc.destroy();
  }
}

/** Reads a payload: BackupInvalidError('payload') for anything but what encodePayload makes. */
export function decodePayload(payload: Uint8Array): BackupContents {
  let at = 0;
  const take = (): Uint8Array => {
    if (payload.length - at < 4) throw bad();
    const length = readU32be(payload, at);
    at += 4;
    if (payload.length - at < length) throw bad();
    const part = payload.slice(at, at + length);
    at += length;
    return part;
  };
  const manifest = readManifest(take());
  const vaults = manifest.vaults.map((vault) => {
    const content = take();
    checkContent(content);
    return { ...vault, content };
  });
  if (at !== payload.length) throw bad();
  return { ...manifest, vaults };
}
