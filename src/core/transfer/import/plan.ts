/**
 * The preview of an import (nothing is written): every record of a parsed file, sorted into
 * new entries, clashes with existing names, names the vault refuses (its naming rule, a
 * look-alike of another name, a value it cannot hold: in the words of the vault's own errors)
 * and names the file gives twice (the later ones get a suffix, so nothing in the file is lost).
 */
import {
  ConfusableNameError,
  type EntryInput,
  type EntryKind,
  type EntrySummary,
  isValidEntryName,
  MAX_VALUE_BYTES,
  type NameStyle,
  ValueTooLargeError,
  validateEntryName,
  validateJsonValue,
} from '../../vault';
import type { ParsedImport } from '../types';
import { ImportRefusedError } from './import-errors';
import { NameIndex } from './name-index';
import type {
  ImportPreview,
  ImportRunOptions,
  ImportTarget,
  PlannedClash,
  PlannedEntry,
  RefusedRecord,
  RenamedDuplicate,
} from './plan-types';

const defaultPause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Runs `step` over `count` items in chunks, reporting progress and yielding between chunks. */
export async function inChunks(
  count: number,
  options: ImportRunOptions,
  step: (index: number) => void,
): Promise<void> {
  const chunk = Math.max(1, options.chunk ?? 500);
  const pause = options.pause ?? defaultPause;
  options.onProgress?.('checking', 0, count);
  for (let start = 0; start < count; start += chunk) {
    if (options.signal?.aborted) {
      throw new ImportRefusedError('aborted', 'the import was stopped; nothing was written');
    }
    const end = Math.min(count, start + chunk);
    for (let index = start; index < end; index++) step(index);
    options.onProgress?.('checking', end, count);
    if (end < count) await pause();
  }
}

/** Why the vault would refuse this value, or undefined. Connections are checked by the write. */
export function valueProblem(name: string, input: EntryInput): string | undefined {
  if (input.kind === 'connection') return undefined;
  try {
    validateJsonValue(input.value);
  } catch (error) {
    return error instanceof Error ? error.message : 'the value is not plain JSON';
  }
  // The vault's limit is on the canonical JSON's UTF-8 bytes; a string's length is a cheap
  // lower bound, so only values near the limit are encoded.
  const text = JSON.stringify(input.value);
  if (text.length * 3 > MAX_VALUE_BYTES) {
    const size = encoder.encode(text).length;
    if (size > MAX_VALUE_BYTES) {
      return new ValueTooLargeError(name, size, MAX_VALUE_BYTES).message;
    }
  }
  return undefined;
}

const encoder = new TextEncoder();

/** Why `name` breaks the naming rule `style` (InvalidNameError's words), or undefined. */
export function nameProblem(
  name: string,
  style: NameStyle,
): { rule: string; problem: string } | undefined {
  if (isValidEntryName(name, style)) return undefined;
  try {
    validateEntryName(name, style);
  } catch (error) {
    const rule = (error as { rule?: string }).rule ?? 'name';
    return { rule, problem: error instanceof Error ? error.message : 'not a valid name' };
  }
  return undefined;
}

/**
 * Sorts a parsed file against an open vault. Rejects only if the vault cannot be read.
 * @example
 * const preview = await previewImport(parseDotenv(text), vault);
 */
export async function previewImport(
  parsed: ParsedImport,
  target: ImportTarget,
  options: ImportRunOptions = {},
): Promise<ImportPreview> {
  const nameStyle = await target.nameStyle();
  const summaries = await target.list();
  const existing = new Map<string, EntrySummary>(summaries.map((entry) => [entry.name, entry]));
  // The vault's names, and the new names already planned: a later look-alike of either is refused.
  const planned = new NameIndex(existing.keys());
  const seen = new Set<string>();
  const fresh: PlannedEntry[] = [];
  const clashes: PlannedClash[] = [];
  const refused: RefusedRecord[] = [];
  const duplicates: RenamedDuplicate[] = [];
  const records = parsed.records;

  await inChunks(records.length, options, (index) => {
    const record = records[index]!;
    const kind: EntryKind = record.input.kind;
    const refuse = (rule: string, problem: string, lookalikeOf?: string) =>
      refused.push({
        index,
        name: record.name,
        from: record.from,
        rule,
        problem,
        ...(lookalikeOf === undefined ? {} : { lookalikeOf }),
      });
    const badName = nameProblem(record.name, nameStyle);
    if (badName !== undefined) return refuse(badName.rule, badName.problem);
    const badValue = valueProblem(record.name, record.input);
    if (badValue !== undefined) return refuse('value', badValue);
    let name = record.name;
    if (seen.has(name)) {
      name = planned.freeVariant(name, nameStyle);
      duplicates.push({ index, name: record.name, renamedTo: name, from: record.from });
    }
    seen.add(name);
    const current = existing.get(name);
    if (current !== undefined) {
      clashes.push({
        index,
        name,
        kind,
        from: record.from,
        existingKind: current.kind,
        existingWriteOnly: current.writeOnly,
      });
      return;
    }
    const lookalike = planned.lookalike(name);
    if (lookalike !== undefined) {
      const words = new ConfusableNameError({
        rejectedName: name,
        existingName: lookalike,
        subject: 'entry',
      }).message;
      return refuse('look-alike', words, lookalike);
    }
    planned.add(name);
    fresh.push({ index, name, kind, from: record.from });
  });

  return {
    format: parsed.format,
    total: records.length,
    fresh,
    clashes,
    refused,
    duplicates,
    warnings: parsed.warnings,
    nameStyle,
    records,
    existingNames: [...existing.keys()],
  };
}
