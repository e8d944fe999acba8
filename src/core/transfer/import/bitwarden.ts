/**
 * Bitwarden's unencrypted JSON export (Tools > Export vault > ".json"): `{ encrypted: false,
 * folders: [{ id, name }], items: [...] }`, or, for an organisation, `collections` and each
 * item's `collectionIds`. Each item becomes one entry (bitwarden-items.ts has the mapping),
 * named after its folder (or first collection) and its own name, made to fit the vault's naming
 * rule (entry-names.ts; nested folders "A/B" give two parts). Encrypted exports (account or
 * password protected) are refused: Coffer cannot and should not hold the Bitwarden key.
 */
import type { NameStyle } from '../../vault';
import { ImportFormatError } from '../errors';
import type { ImportRecord, ImportWarning, ParsedImport } from '../types';
import { bitwardenInput } from './bitwarden-items';
import { toEntryName } from './entry-names';
import { describeJsonType, readJsonDocument } from './json-import';

/**
 * Options of the Bitwarden importer: the naming rule names are made for.
 * @example
 * parseBitwarden(text, { nameStyle: 'environment' });
 */
export interface BitwardenOptions {
  readonly nameStyle?: NameStyle;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function namesById(list: unknown): Map<string, string> {
  const names = new Map<string, string>();
  if (!Array.isArray(list)) return names;
  for (const entry of list) {
    if (isObject(entry) && typeof entry.id === 'string' && typeof entry.name === 'string') {
      names.set(entry.id, entry.name);
    }
  }
  return names;
}

/**
 * Reads a Bitwarden JSON export. Throws ImportFormatError for an encrypted export, JSON that
 * does not parse, duplicate keys, or an item without a name.
 * @example
 * parseBitwarden('{"encrypted":false,"items":[{"type":2,"name":"Wi-Fi","notes":"pw"}]}').records[0]?.name;
 * // 'Wi-Fi'
 */
export function parseBitwarden(source: string, options: BitwardenOptions = {}): ParsedImport {
  const style = options.nameStyle ?? 'default';
  const { value } = readJsonDocument(source, 'bitwarden');
  const fail = (problem: string, record?: number): never => {
    throw new ImportFormatError(
      'bitwarden',
      record === undefined ? { line: 1 } : { record },
      problem,
    );
  };
  if (!isObject(value)) {
    return fail(`the file holds ${describeJsonType(value)}, not a Bitwarden export`);
  }
  if (value.encrypted === true || value.passwordProtected === true) {
    fail(
      'this is an encrypted Bitwarden export, which only Bitwarden can open; export the vault again choosing the format ".json" (not ".json (Encrypted)")',
    );
  }
  if (!Array.isArray(value.items)) {
    fail('the file has no "items" list; is it a Bitwarden JSON export?');
  }
  const folders = namesById(value.folders);
  const collections = namesById(value.collections);
  const records: ImportRecord[] = [];
  const warnings: ImportWarning[] = [];
  (value.items as unknown[]).forEach((item, index) => {
    const record = index + 1;
    if (!isObject(item)) fail(`an item is ${describeJsonType(item)}, not an object`, record);
    const own = (item as Json).name;
    if (typeof own !== 'string' || own.trim() === '') fail('an item has no name', record);
    const folder =
      (typeof (item as Json).folderId === 'string'
        ? folders.get((item as Json).folderId as string)
        : undefined) ??
      (Array.isArray((item as Json).collectionIds)
        ? collections.get(((item as Json).collectionIds as unknown[])[0] as string)
        : undefined);
    const parts = [...(folder?.split('/') ?? []), own as string];
    const path = parts.join('/');
    const from = { record, path };
    const input = bitwardenInput(item as Json, from, warnings);
    if (input !== undefined) records.push({ name: toEntryName(parts, style), input, from });
  });
  return { format: 'bitwarden', records, warnings };
}
