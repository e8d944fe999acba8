/**
 * What an import preview shows and what applying it takes: the shapes shared by plan.ts (the
 * preview) and apply.ts (the one write).
 */
import type { ConnectionValue, EntryKind, EntrySummary, JsonValue, NameStyle } from '../../vault';
import type { ImportFormat, ImportRecord, ImportWarning, SourcePlace } from '../types';

/**
 * The part of an open vault an import needs; a `Vault` from `Session.openVault` is one.
 * @example
 * const target: ImportTarget = vault;
 */
export interface ImportTarget {
  list(): Promise<readonly EntrySummary[]>;
  nameStyle(): Promise<NameStyle>;
  setMany(
    entries: ReadonlyArray<{
      name: string;
      value: JsonValue | ConnectionValue;
      kind?: EntryKind;
      writeOnly?: boolean;
    }>,
  ): Promise<void>;
}

/**
 * What to do with a record whose name an entry already has: leave the entry as it is, replace
 * its value (a write-only secret stays write-only), or import the record beside it under a
 * free name with a suffix.
 * @example
 * const choice: ClashChoice = 'keep-both';
 */
export type ClashChoice = 'skip' | 'overwrite' | 'keep-both';

/** A record that will be written (unless a clash choice skips it). */
export interface PlannedEntry {
  /** Its position in the parsed records. */
  readonly index: number;
  /** The name it gets (a duplicate inside the file has been given a suffix). */
  readonly name: string;
  readonly kind: EntryKind;
  readonly from: SourcePlace;
}

/** A record whose name an existing entry has. */
export interface PlannedClash extends PlannedEntry {
  readonly existingKind: EntryKind;
  readonly existingWriteOnly: boolean;
}

/**
 * A record the vault would refuse, and why in the vault's own words: its naming rule
 * (`rule` as InvalidNameError has it), a look-alike of another name (`lookalikeOf`), or a value
 * it cannot hold ('value').
 */
export interface RefusedRecord {
  readonly index: number;
  readonly name: string;
  readonly from: SourcePlace;
  readonly rule: string;
  readonly problem: string;
  readonly lookalikeOf?: string;
}

/** A name the file gives more than once: the later records are kept under a suffixed name. */
export interface RenamedDuplicate {
  readonly index: number;
  readonly name: string;
  readonly renamedTo: string;
  readonly from: SourcePlace;
}

/**
 * The preview of an import: nothing is written until `applyImport` is called with it.
 * @example
 * const preview = await previewImport(parsed, vault);
 * `${preview.fresh.length} new, ${preview.clashes.length} clash, ${preview.refused.length} refused`;
 */
export interface ImportPreview {
  readonly format: ImportFormat;
  /** Records in the file. */
  readonly total: number;
  readonly fresh: readonly PlannedEntry[];
  readonly clashes: readonly PlannedClash[];
  readonly refused: readonly RefusedRecord[];
  readonly duplicates: readonly RenamedDuplicate[];
  readonly warnings: readonly ImportWarning[];
  /** The vault's naming rule when the preview was made. */
  readonly nameStyle: NameStyle;
  /** The parsed records (apply writes their inputs). */
  readonly records: readonly ImportRecord[];
  /** The vault's names when the preview was made (apply checks the vault has not changed). */
  readonly existingNames: readonly string[];
}

/**
 * What to do with clashes: `choices` by name, and `all` for the names not in it.
 * @example
 * const decisions: ClashDecisions = { all: 'skip', choices: new Map([['API_KEY', 'overwrite']]) };
 */
export interface ClashDecisions {
  readonly all: ClashChoice;
  readonly choices?: ReadonlyMap<string, ClashChoice>;
}

/**
 * What an import wrote.
 * @example
 * `${summary.created} created, ${summary.overwritten} replaced, ${summary.skipped} skipped`;
 */
export interface ImportSummary {
  readonly created: number;
  readonly overwritten: number;
  readonly keptBoth: readonly { readonly name: string; readonly renamedTo: string }[];
  readonly skipped: number;
  readonly refused: number;
}

/**
 * Options of preview and apply: progress ('checking', then 'writing'), a signal to stop before
 * the write, and how to yield to the event loop between chunks (a timer of 0 ms by default, so
 * a progress bar can paint; tests may pass their own).
 */
export interface ImportRunOptions {
  readonly onProgress?: (phase: 'checking' | 'writing', done: number, total: number) => void;
  readonly signal?: AbortSignal;
  readonly pause?: () => Promise<void>;
  /** Records checked between two pauses (default 500). */
  readonly chunk?: number;
}
