/**
 * Applying a preview: all or nothing. The final list is built and checked in full (in chunks,
 * so a progress bar moves), the vault is checked to be as the preview saw it, and then ONE
 * `setMany` writes everything in one transaction: the vault checks every entry again before it
 * changes anything, so a refusal there also writes nothing, and the error names the record.
 */
import type { ConnectionValue, EntryInput, EntryKind, JsonValue } from '../../vault';
import type { SourcePlace } from '../types';
import { ImportRefusedError } from './import-errors';
import { NameIndex } from './name-index';
import { inChunks, nameProblem, valueProblem } from './plan';
import type {
  ClashChoice,
  ClashDecisions,
  ImportPreview,
  ImportRunOptions,
  ImportSummary,
  ImportTarget,
} from './plan-types';

interface Write {
  name: string;
  value: JsonValue | ConnectionValue;
  kind: EntryKind;
  readonly from: SourcePlace;
}

/** The problem of an error the vault threw, and the entry name it is about, if it says. */
function refusalOf(error: unknown): { problem: string; entryName: string | undefined } {
  const fields = (error ?? {}) as { rejectedName?: unknown; entryName?: unknown };
  const entryName =
    typeof fields.rejectedName === 'string'
      ? fields.rejectedName
      : typeof fields.entryName === 'string'
        ? fields.entryName
        : undefined;
  return {
    problem: error instanceof Error ? error.message : 'the vault refused the import',
    entryName,
  };
}

/**
 * Writes what `preview` planned, with `decisions` for its clashes. Rejects with
 * ImportRefusedError ('vault-changed', 'entry-refused' with the record, 'aborted'); nothing is
 * written then. Refused records of the preview are left out (the preview showed them).
 * @example
 * const summary = await applyImport(preview, vault, { all: 'skip' }, { onProgress });
 */
export async function applyImport(
  preview: ImportPreview,
  target: ImportTarget,
  decisions: ClashDecisions,
  options: ImportRunOptions = {},
): Promise<ImportSummary> {
  const style = await target.nameStyle();
  const now = new Set((await target.list()).map((entry) => entry.name));
  const changed =
    style !== preview.nameStyle ||
    preview.fresh.some((entry) => now.has(entry.name)) ||
    preview.clashes.some((entry) => !now.has(entry.name));
  if (changed) {
    throw new ImportRefusedError(
      'vault-changed',
      'the vault changed since the preview (an entry or its naming rule); preview the import again',
    );
  }
  const choiceOf = (name: string): ClashChoice => decisions.choices?.get(name) ?? decisions.all;
  const names = new NameIndex(now);
  const writes: Write[] = [];
  const keptBoth: { name: string; renamedTo: string }[] = [];
  let overwritten = 0;
  let skipped = 0;
  const add = (index: number, name: string) => {
    const record = preview.records[index]!;
    writes.push({ name, value: record.input.value, kind: record.input.kind, from: record.from });
  };
  for (const entry of preview.fresh) names.add(entry.name);
  for (const entry of preview.fresh) add(entry.index, entry.name);
  for (const clash of preview.clashes) {
    const choice = choiceOf(clash.name);
    if (choice === 'skip') skipped++;
    else if (choice === 'overwrite') {
      overwritten++;
      add(clash.index, clash.name);
    } else {
      const renamedTo = names.freeVariant(clash.name, style);
      names.add(renamedTo);
      keptBoth.push({ name: clash.name, renamedTo });
      add(clash.index, renamedTo);
    }
  }

  // Checked again in full: the preview may be old, and the list above has new names in it.
  await inChunks(writes.length, options, (index) => {
    const write = writes[index]!;
    const problem =
      nameProblem(write.name, style)?.problem ??
      valueProblem(write.name, { kind: write.kind, value: write.value } as EntryInput);
    if (problem !== undefined) {
      throw new ImportRefusedError('entry-refused', problem, write.from, write.name);
    }
  });
  if (options.signal?.aborted) {
    throw new ImportRefusedError('aborted', 'the import was stopped; nothing was written');
  }
  options.onProgress?.('writing', 0, writes.length);
  if (writes.length > 0) {
    try {
      await target.setMany(writes.map(({ name, value, kind }) => ({ name, value, kind })));
    } catch (error) {
      const { problem, entryName } = refusalOf(error);
      // A value error does not name its entry: the first value the vault cannot take does.
      const write =
        entryName === undefined
          ? writes.find((candidate) => valueProblem(candidate.name, candidate as EntryInput))
          : writes.find((candidate) => candidate.name === entryName);
      // Not about one entry (storage full, the vault closed): its own error says it best.
      if (write === undefined) throw error;
      throw new ImportRefusedError('entry-refused', problem, write.from, write.name, {
        cause: error,
      });
    }
  }
  options.onProgress?.('writing', writes.length, writes.length);
  return {
    created: preview.fresh.length + keptBoth.length,
    overwritten,
    keptBoth,
    skipped,
    refused: preview.refused.length,
  };
}
