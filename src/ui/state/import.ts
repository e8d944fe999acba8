/**
 * The import dialog's state: the chosen file and its format (guessed, changeable), the
 * format's options (KDBX credentials, CSV column mapping, the kind values become, how nested
 * JSON is read), the preview with the clash choices, the one write with its progress, and the
 * summary. Nothing is written before `runImport`. Wraps core/transfer so components do not.
 */
import { createSignal } from 'solid-js';
import {
  applyImport,
  type ClashChoice,
  csvColumns,
  guessFormat,
  type ImportFormat,
  type ImportPhase,
  type ImportPreview,
  type ImportSummary,
  type ImportTarget,
  type ParsedImport,
  parseBitwarden,
  parseCsv,
  parseDotenv,
  parseJsonImport,
  previewImport,
  readImportFile,
  readKdbx,
} from '../../core/transfer';
import type { NameStyle } from '../../core/vault';
import { errorText, isCoreError } from './error-text';

export type { ClashChoice, ImportFormat, ImportPreview, ImportSummary, ImportTarget };

/** What a component knows of the chosen file. */
export interface ChosenFile {
  readonly name: string;
  readonly size: number;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** The format's options, as the dialog's fields set them. */
export interface ImportChoices {
  readonly kind: 'secret' | 'item';
  readonly nested: 'top-level' | 'flatten';
  readonly csvName: number;
  readonly csvValue: number;
  readonly csvSecret: boolean;
}

export type ImportStep = 'choose' | 'working' | 'preview' | 'importing' | 'done';

export interface ImportProgress {
  readonly phase: ImportPhase;
  readonly done: number;
  readonly total: number;
}

export const formatLabels: Readonly<Record<ImportFormat, string>> = {
  dotenv: '.env file',
  json: 'JSON object',
  csv: 'CSV with a header row',
  bitwarden: 'Bitwarden export (unencrypted .json)',
  kdbx: 'KeePass (KDBX 3.1 or 4)',
};

const defaultChoices: ImportChoices = {
  kind: 'secret',
  nested: 'top-level',
  csvName: 0,
  csvValue: 1,
  csvSecret: true,
};

function explain(error: unknown): string {
  return isCoreError(error)
    ? errorText(error)
    : 'Something went wrong inside Coffer; nothing was imported. Reload and try again.';
}

/**
 * One run of the import dialog over `target` (the open vault).
 * @example
 * const flow = createImportFlow(target);
 * await flow.choose(file); await flow.makePreview(); await flow.runImport();
 */
export function createImportFlow(target: ImportTarget) {
  const [file, setFile] = createSignal<ChosenFile>();
  const [format, setFormat] = createSignal<ImportFormat>('dotenv');
  const [choices, setChoices] = createSignal<ImportChoices>(defaultChoices);
  const [columns, setColumns] = createSignal<readonly string[]>([]);
  const [password, setPassword] = createSignal('');
  const [keyFile, setKeyFile] = createSignal<ChosenFile>();
  const [step, setStep] = createSignal<ImportStep>('choose');
  const [error, setError] = createSignal<string>();
  const [preview, setPreview] = createSignal<ImportPreview>();
  const [all, setAll] = createSignal<ClashChoice>('skip');
  const [perName, setPerName] = createSignal<ReadonlyMap<string, ClashChoice>>(new Map());
  const [progress, setProgress] = createSignal<ImportProgress>();
  const [summary, setSummary] = createSignal<ImportSummary>();
  let text: string | undefined;
  let controller: AbortController | undefined;

  const onProgress = (phase: ImportPhase, done: number, total: number) =>
    setProgress({ phase, done, total });

  /** Reads the text once (the size is checked first), and the CSV header for the mapping. */
  async function loadText(chosen: ChosenFile): Promise<string> {
    text ??= await readImportFile(chosen, 'text');
    if (format() === 'csv') {
      const header = csvColumns(text);
      setColumns(header);
      const { csvName, csvValue } = choices();
      if (csvName >= header.length || csvValue >= header.length) {
        setChoices({ ...choices(), csvName: 0, csvValue: Math.min(1, header.length - 1) });
      }
    }
    return text;
  }

  async function parse(chosen: ChosenFile, style: NameStyle): Promise<ParsedImport> {
    const options = choices();
    switch (format()) {
      case 'kdbx': {
        const bytes = await readImportFile(chosen, 'bytes');
        const key = keyFile();
        // kdbxweb itself is loaded by readKdbx on first use, not with the app.
        return readKdbx(
          bytes,
          {
            ...(password() === '' ? {} : { password: password() }),
            ...(key === undefined ? {} : { keyFile: await key.arrayBuffer() }),
          },
          { onProgress, ...(controller ? { signal: controller.signal } : {}) },
        );
      }
      case 'dotenv':
        return parseDotenv(await loadText(chosen), { kind: options.kind });
      case 'json':
        return parseJsonImport(await loadText(chosen), {
          kind: options.kind,
          nested: options.nested,
        });
      case 'bitwarden':
        return parseBitwarden(await loadText(chosen), { nameStyle: style });
      case 'csv':
        return parseCsv(await loadText(chosen), {
          name: options.csvName,
          value: options.csvValue,
          secret: options.csvSecret,
        });
    }
  }

  async function loadColumns() {
    const chosen = file();
    if (chosen === undefined) return;
    try {
      await loadText(chosen);
    } catch (caught) {
      setError(explain(caught));
    }
  }

  return {
    file,
    format,
    choices,
    columns,
    password,
    setPassword,
    keyFile,
    setKeyFile,
    step,
    error,
    preview,
    all,
    setAll,
    progress,
    summary,
    choiceFor: (name: string): ClashChoice => perName().get(name) ?? all(),
    setChoice(name: string, choice: ClashChoice) {
      setPerName(new Map([...perName(), [name, choice]]));
    },
    /** A new file: its format guessed from its name and first bytes; its text not read yet. */
    async choose(chosen: ChosenFile | undefined) {
      setFile(chosen);
      setPreview(undefined);
      setError(undefined);
      setColumns([]);
      text = undefined;
      if (chosen === undefined) return;
      const head = new Uint8Array(await chosen.slice(0, 4096).arrayBuffer());
      setFormat(guessFormat(chosen.name, head));
      if (format() === 'csv') await loadColumns();
    },
    async setFormatTo(next: ImportFormat) {
      setFormat(next);
      setPreview(undefined);
      setError(undefined);
      if (next === 'csv') await loadColumns();
    },
    setChoices(change: Partial<ImportChoices>) {
      setChoices({ ...choices(), ...change });
      setPreview(undefined);
    },
    /** Reads and checks the file against the vault; writes nothing. */
    async makePreview() {
      const chosen = file();
      if (chosen === undefined) return;
      setError(undefined);
      setPreview(undefined);
      setStep('working');
      controller = new AbortController();
      try {
        const style = await target.nameStyle();
        const parsed = await parse(chosen, style);
        setPreview(await previewImport(parsed, target, { onProgress, signal: controller.signal }));
        setPerName(new Map());
        setStep('preview');
      } catch (caught) {
        setError(explain(caught));
        setStep('choose');
      } finally {
        setProgress(undefined);
      }
    },
    /** The one all-or-nothing write, with the clash choices made. */
    async runImport() {
      const planned = preview();
      if (planned === undefined) return;
      setError(undefined);
      setStep('importing');
      controller = new AbortController();
      try {
        setSummary(
          await applyImport(
            planned,
            target,
            { all: all(), choices: perName() },
            { onProgress, signal: controller.signal },
          ),
        );
        setStep('done');
      } catch (caught) {
        setError(explain(caught));
        setStep('preview');
      } finally {
        setProgress(undefined);
      }
    },
    cancel() {
      controller?.abort();
    },
  };
}

export type ImportFlow = ReturnType<typeof createImportFlow>;

/** How many entries the import will write with the choices made (for the button). */
export function plannedCount(flow: ImportFlow): number {
  const planned = flow.preview();
  if (planned === undefined) return 0;
  return (
    planned.fresh.length +
    planned.clashes.filter((clash) => flow.choiceFor(clash.name) !== 'skip').length
  );
}
