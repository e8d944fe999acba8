/**
 * Exporting the open vault to a file, for the Export dialog: reads every entry as the app may
 * see it (a write-only value never leaves the vault), makes the file in core, records the
 * export in the vault's audit log, and hands the file to the browser as a download.
 */
import {
  describeLeftOut,
  type ExportFormat,
  type ExportResult,
  exportFileName,
  exportVault,
  isPlaintextFormat,
  type TransferProgress,
} from '../../core/transfer';
import type { VisibleEntry } from '../../core/vault';
import type { OpenVault } from './open-vault';

export { describeLeftOut, type ExportFormat, type ExportResult, exportFileName, isPlaintextFormat };

/** The formats, as the dialog offers them. */
export const exportFormats: readonly { value: ExportFormat; label: string; hint: string }[] = [
  {
    value: 'kdbx',
    label: 'KeePass (KDBX 4), encrypted',
    hint: 'Opens in KeePassXC, KeeWeb and KeePass, and imports back into Coffer. Protected by a passphrase you choose.',
  },
  {
    value: 'dotenv',
    label: '.env, plaintext',
    hint: 'NAME=value lines for programs. Anyone who reads the file reads every value.',
  },
  {
    value: 'json',
    label: 'JSON, plaintext',
    hint: 'One object of name: value. Anyone who reads the file reads every value.',
  },
];

/** What the dialog collected. */
export interface ExportChoice {
  readonly format: ExportFormat;
  readonly confirmation?: string;
  readonly passphrase?: string;
  readonly onProgress?: TransferProgress;
  readonly signal?: AbortSignal;
}

/**
 * Makes the export file of the open vault. Rejects with ExportRefusedError or KdbxError (their
 * words: describeError).
 * @example
 * const result = await exportOpenVault(vault, { format: 'dotenv', confirmation: 'prod' });
 */
export async function exportOpenVault(
  vault: OpenVault,
  choice: ExportChoice,
): Promise<ExportResult> {
  const entries: VisibleEntry[] = [];
  for (const { name } of vault.entries()) {
    const entry = await vault.get(name);
    if (entry) entries.push(entry);
  }
  const result = await exportVault({
    format: choice.format,
    vaultName: vault.name,
    entries,
    ...(choice.confirmation === undefined ? {} : { confirmation: choice.confirmation }),
    ...(choice.passphrase === undefined ? {} : { passphrase: choice.passphrase }),
    ...(choice.onProgress ? { onProgress: choice.onProgress } : {}),
    ...(choice.signal ? { signal: choice.signal } : {}),
  });
  void vault.audit?.exported();
  return result;
}

/**
 * Hands the file to the browser as a download, through a Blob URL that is revoked once the
 * download has started (the URL is the file: it must not outlive the click).
 * @example
 * saveExport(result);
 */
export function saveExport(result: ExportResult): void {
  const url = URL.createObjectURL(
    new Blob([result.bytes as Uint8Array<ArrayBuffer>], { type: result.mimeType }),
  );
  const link = document.createElement('a');
  link.href = url;
  link.download = result.fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // Revoked on the next task: the click has started the download by then.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
