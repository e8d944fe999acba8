/**
 * readKdbx: a KeePass file (KDBX 3.1 with AES-KDF, KDBX 4 with AES-KDF, Argon2d or Argon2id)
 * as a ParsedImport, through kdbxweb, with Argon2 in a Worker where there is one. The mapping
 * of entries is mapping.ts's; what is left out (the Recycle Bin, attachments, entry history)
 * comes back as warnings. Every failure is a KdbxError (the file, the key) or an
 * ImportFormatError (a Coffer entry inside the file that is not valid); none names a value.
 */
import { type EntryInput, type JsonValue, parseJsonText } from '../../vault';
import { ImportFormatError } from '../errors';
import type {
  ImportRecord,
  ImportWarning,
  ParsedImport,
  SourcePlace,
  TransferProgress,
} from '../types';
import { type Argon2Runner, runArgon2Inline } from './argon2';
import { type Kdbxweb, withKdbxweb } from './engine';
import { KdbxError } from './errors';
import { toKdbxError } from './failures';
import {
  COFFER_KIND_FIELD,
  COFFER_VALUE_FIELD,
  GROUP_SEPARATOR,
  isEntryKind,
  type KeePassField,
  keePassConnection,
} from './mapping';
import { checkSignature } from './signature';
import { defaultArgon2Runner } from './worker-argon2';

/**
 * What opens the file: a password, a key file (its bytes, any format KeePass accepts), or both.
 * @example
 * const credentials: KdbxCredentialsInput = { password: 'correct horse' };
 */
export interface KdbxCredentialsInput {
  readonly password?: string;
  readonly keyFile?: ArrayBuffer;
}

/**
 * Options of readKdbx. `argon2` replaces the default runner (a Worker in the browser, this
 * thread in Node).
 */
export interface ReadKdbxOptions {
  readonly onProgress?: TransferProgress;
  readonly signal?: AbortSignal;
  readonly argon2?: Argon2Runner;
}

type KdbxDb = Awaited<ReturnType<Kdbxweb['Kdbx']['load']>>;
type KdbxGroupNode = KdbxDb['groups'][number];
type KdbxEntryNode = KdbxGroupNode['entries'][number];

/**
 * Reads a KeePass file. Rejects with KdbxError: 'wrong-key' (password or key file), 'damaged'
 * (truncated, changed, not KDBX), 'unsupported' (KeePass 1.x, KDBX newer than 4, a KDF or
 * cipher kdbxweb lacks, Argon2 over 1 GiB), 'cancelled' (the signal). The bytes are not changed.
 * @example
 * const parsed = await readKdbx(await file.arrayBuffer(), { password }, { onProgress });
 * parsed.records[0]; // { name: 'Work.gmail', input: { kind: 'connection', ... }, from: { record: 1, path: 'Work' } }
 */
export async function readKdbx(
  bytes: ArrayBuffer,
  credentials: KdbxCredentialsInput,
  options: ReadKdbxOptions = {},
): Promise<ParsedImport> {
  const { onProgress, signal } = options;
  if (!(bytes instanceof ArrayBuffer)) {
    throw new KdbxError('damaged', 'expected the file as an ArrayBuffer');
  }
  if (signal?.aborted) throw new KdbxError('cancelled');
  if (credentials.password === undefined && credentials.keyFile === undefined) {
    throw new KdbxError('wrong-key', 'neither a password nor a key file was given');
  }
  onProgress?.('reading', 0, 1);
  checkSignature(bytes);
  const argon2 = options.argon2 ?? defaultArgon2Runner(runArgon2Inline);
  const db = await withKdbxweb({ argon2, onProgress, signal }, async (kdbx) => {
    let keys: InstanceType<Kdbxweb['Credentials']>;
    try {
      keys = new kdbx.Credentials(
        credentials.password === undefined
          ? null
          : kdbx.ProtectedValue.fromString(credentials.password),
        credentials.keyFile ?? null,
      );
      await keys.ready;
    } catch (error) {
      throw new KdbxError('wrong-key', 'the key file could not be read', { cause: error });
    }
    try {
      // A copy: kdbxweb works in the buffer it is given, and the caller's stays as it was.
      return await kdbx.Kdbx.load(bytes.slice(0), keys);
    } catch (error) {
      throw toKdbxError(error, bytes);
    }
  });
  if (signal?.aborted) throw new KdbxError('cancelled');
  const parsed = mapDatabase(db);
  onProgress?.('reading', 1, 1);
  return parsed;
}

function mapDatabase(db: KdbxDb): ParsedImport {
  const records: ImportRecord[] = [];
  const warnings: ImportWarning[] = [];
  const meta = db.meta;
  const bin = meta.recycleBinEnabled ? meta.recycleBinUuid : undefined;
  let record = 0;
  let withHistory = 0;
  let binned = 0;
  const walk = (group: KdbxGroupNode, path: readonly string[]) => {
    for (const entry of group.entries) {
      record++;
      const from: SourcePlace = path.length > 0 ? { record, path: path.join('/') } : { record };
      records.push(mapEntry(entry, path, from));
      if (entry.binaries.size > 0) {
        warnings.push({
          from,
          message: `${entry.binaries.size === 1 ? 'an attachment was' : `${entry.binaries.size} attachments were`} left out (Coffer entries hold text)`,
        });
      }
      if (entry.history.length > 0) withHistory++;
    }
    for (const child of group.groups) {
      if (bin !== undefined && child.uuid.equals(bin)) {
        binned += [...child.allEntries()].length;
        continue;
      }
      walk(child, [...path, child.name ?? '']);
    }
  };
  const root = db.groups[0];
  if (root !== undefined) walk(root, []);
  if (binned > 0) {
    warnings.push({
      from: {},
      message: `${binned} ${binned === 1 ? 'entry' : 'entries'} in the Recycle Bin ${binned === 1 ? 'was' : 'were'} left out`,
    });
  }
  if (withHistory > 0) {
    warnings.push({
      from: {},
      message: `the KeePass history of ${withHistory} ${withHistory === 1 ? 'entry was' : 'entries were'} left out (only current values are imported)`,
    });
  }
  return { format: 'kdbx', records, warnings };
}

function mapEntry(entry: KdbxEntryNode, path: readonly string[], from: SourcePlace): ImportRecord {
  const fields = new Map<string, KeePassField>();
  for (const [name, value] of entry.fields) {
    fields.set(
      name,
      typeof value === 'string'
        ? { text: value, protected: false }
        : { text: value.getText(), protected: true },
    );
  }
  const title = fields.get('Title')?.text ?? '';
  const name = [...path, title].join(GROUP_SEPARATOR);
  fields.delete('Title');
  const kind = fields.get(COFFER_KIND_FIELD);
  if (kind === undefined)
    return { name, input: { kind: 'connection', value: keePassConnection(fields) }, from };
  return { name, input: cofferInput(kind.text, fields.get(COFFER_VALUE_FIELD), from), from };
}

/** The entry as Coffer wrote it, from `coffer.kind` and `coffer.value`. */
function cofferInput(kind: string, text: KeePassField | undefined, from: SourcePlace): EntryInput {
  const fail = (problem: string): never => {
    throw new ImportFormatError('kdbx', from, problem);
  };
  if (!isEntryKind(kind)) fail(`${COFFER_KIND_FIELD} is not item, secret or connection`);
  if (text === undefined) fail(`a Coffer entry without its ${COFFER_VALUE_FIELD} field`);
  let value: JsonValue;
  try {
    value = parseJsonText(text!.text);
  } catch (error) {
    return fail(
      `${COFFER_VALUE_FIELD} is not valid JSON (${(error as { reason?: string }).reason ?? 'invalid'})`,
    );
  }
  if (kind === 'item') return { kind, value };
  if (kind === 'secret') return { kind, value };
  const connection = value as { type?: unknown; fields?: unknown };
  if (
    typeof connection !== 'object' ||
    connection === null ||
    Array.isArray(connection) ||
    typeof connection.type !== 'string' ||
    typeof connection.fields !== 'object' ||
    connection.fields === null
  ) {
    fail(`${COFFER_VALUE_FIELD} is not a connection { type, fields }`);
  }
  // The full shape is checked with every other record before anything is written.
  return { kind: 'connection', value: value as never };
}
