/**
 * exportVault: a vault's entries as one file (.env, JSON or KDBX 4), with the confirmations
 * each needs, the file's name, and what was left out.
 */
import type { VisibleEntry } from '../../vault';
import { type Argon2Runner, DEFAULT_KDBX_KDF, type KdbxKdfSettings, writeKdbx } from '../kdbx';
import type { TransferProgress } from '../types';
import { formatDotenv } from './dotenv';
import { ExportRefusedError } from './errors';
import { formatJson } from './json';
import { type ExportFormat, type LeftOut, selectForExport } from './select';

/**
 * One export. `confirmation` (plaintext formats) must be the vault's name as typed by the
 * user; `passphrase` (KDBX) protects the file.
 * @example
 * const request: ExportRequest = { format: 'dotenv', vaultName: 'prod', entries, confirmation: 'prod' };
 */
export interface ExportRequest {
  readonly format: ExportFormat;
  readonly vaultName: string;
  /** The entries as `visibleEntry` gives them: write-only values already taken out. */
  readonly entries: readonly VisibleEntry[];
  readonly confirmation?: string;
  readonly passphrase?: string;
  readonly kdf?: KdbxKdfSettings;
  readonly argon2?: Argon2Runner;
  readonly onProgress?: TransferProgress;
  readonly signal?: AbortSignal;
}

/**
 * The file made, and what it holds.
 * @example
 * const { fileName, bytes, leftOut } = await exportVault(request); // 'prod-PLAINTEXT.env'
 */
export interface ExportResult {
  readonly fileName: string;
  readonly mimeType: string;
  readonly bytes: Uint8Array;
  /** How many entries the file holds. */
  readonly exported: number;
  /** What is not in it, and why (write-only secrets always). */
  readonly leftOut: readonly LeftOut[];
  /** True for .env and JSON: anyone who reads the file reads the values. */
  readonly plaintext: boolean;
}

/** Whether a format writes values readable by anyone (and so needs the typed confirmation). */
export const isPlaintextFormat = (format: ExportFormat): boolean => format !== 'kdbx';

/**
 * The file name for a vault's export: `<vault>-PLAINTEXT.env`, `<vault>-PLAINTEXT.json`,
 * `<vault>.kdbx`. Characters a file system may refuse become "-".
 * @example
 * exportFileName('prod keys', 'dotenv'); // 'prod keys-PLAINTEXT.env'
 */
export function exportFileName(vaultName: string, format: ExportFormat): string {
  const safe =
    vaultName
      .trim()
      .replace(/[\p{Cc}<>:"/\\|?*]/gu, '-')
      .replace(/^\.+/, '') || 'vault';
  return format === 'kdbx'
    ? `${safe}.kdbx`
    : `${safe}-PLAINTEXT.${format === 'dotenv' ? 'env' : 'json'}`;
}

/**
 * Makes the export file. Rejects with ExportRefusedError ('not-confirmed' for a plaintext
 * format whose confirmation is not the vault's name, 'no-passphrase', 'unknown-format') before
 * anything is made, and with KdbxError ('cancelled') when the signal fires during KDBX's key
 * derivation. Write-only secrets are never in the file (see selectForExport).
 * @example
 * const result = await exportVault({ format: 'kdbx', vaultName: 'prod', entries, passphrase });
 */
export async function exportVault(request: ExportRequest): Promise<ExportResult> {
  const { format, vaultName } = request;
  if (format !== 'dotenv' && format !== 'json' && format !== 'kdbx') {
    throw new ExportRefusedError('unknown-format');
  }
  if (isPlaintextFormat(format) && request.confirmation?.trim() !== vaultName.trim()) {
    throw new ExportRefusedError('not-confirmed');
  }
  if (format === 'kdbx' && !request.passphrase) throw new ExportRefusedError('no-passphrase');
  const selection = selectForExport(request.entries);
  const fileName = exportFileName(vaultName, format);
  const encoder = new TextEncoder();
  if (format === 'dotenv') {
    const dotenv = formatDotenv(selection.entries);
    return {
      fileName,
      mimeType: 'text/plain',
      bytes: encoder.encode(dotenv.text),
      exported: dotenv.exported,
      leftOut: [...selection.leftOut, ...dotenv.leftOut],
      plaintext: true,
    };
  }
  if (format === 'json') {
    return {
      fileName,
      mimeType: 'application/json',
      bytes: encoder.encode(formatJson(selection.entries)),
      exported: selection.entries.length,
      leftOut: selection.leftOut,
      plaintext: true,
    };
  }
  const file = await writeKdbx(selection.entries, request.passphrase!, {
    databaseName: vaultName,
    kdf: request.kdf ?? DEFAULT_KDBX_KDF,
    ...(request.argon2 ? { argon2: request.argon2 } : {}),
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  });
  return {
    fileName,
    mimeType: 'application/octet-stream',
    bytes: new Uint8Array(file),
    exported: selection.entries.length,
    leftOut: selection.leftOut,
    plaintext: false,
  };
}

/**
 * "3 write-only secrets were not exported", and the other reasons, in one line each.
 * @example
 * describeLeftOut([{ name: 'A', reason: 'write-only' }]); // ['1 write-only secret was not exported: A']
 */
export function describeLeftOut(leftOut: readonly LeftOut[]): string[] {
  const groups: [LeftOut['reason'], string, string][] = [
    ['write-only', 'write-only secret', 'write-only secrets'],
    [
      'connection',
      'connection (a .env line holds one value)',
      'connections (a .env line holds one value)',
    ],
    ['not-an-env-name', 'name that is not a .env name', 'names that are not .env names'],
    [
      'not-representable',
      'value no .env quoting holds exactly',
      'values no .env quoting holds exactly',
    ],
  ];
  const lines: string[] = [];
  for (const [reason, one, many] of groups) {
    const names = leftOut
      .filter((item) => item.reason === reason)
      .map((item) => (item.field === undefined ? item.name : `${item.name}.${item.field}`));
    if (names.length === 0) continue;
    const shown = names.slice(0, 10).join(', ') + (names.length > 10 ? ', …' : '');
    lines.push(
      `${names.length} ${names.length === 1 ? `${one} was` : `${many} were`} not exported: ${shown}`,
    );
  }
  return lines;
}
