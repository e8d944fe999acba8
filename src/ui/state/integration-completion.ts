/**
 * The `@{` suggestions in the editor's fields: the names a reference may use (asked of core
 * for the draft, refreshed when what they depend on changes), the suggestions for the cursor
 * in what is typed (core/references reads the unfinished reference), and the text after one
 * is chosen (the name written as a reference writes it, then `.` or `}`).
 */
import { type Accessor, createSignal } from 'solid-js';
import type { IntegrationId } from '../../core/ids';
import type { IntegrationDraft, ReferenceNames } from '../../core/integrations';
import { type Completion, referenceCompletion } from '../../core/references';
import { type IntegrationsApiSource, requireApi } from './integration-api';

/** Where the cursor is inside an unfinished reference, as core/references says. */
export type ReferenceCompletion = Completion;

/** One suggestion: what the list shows and the name it inserts. */
export interface CompletionOption {
  readonly label: string;
  /** The name as chosen (quoted on insertion when it needs to be). */
  readonly name: string;
  readonly kind: 'root' | 'vault' | 'entry' | 'kept';
}

const rootOptions: readonly CompletionOption[] = [
  { label: 'vault.', name: 'vault.', kind: 'root' },
  { label: 'vaults.', name: 'vaults.', kind: 'root' },
  { label: 'keep.', name: 'keep.', kind: 'root' },
];

/** At most this many suggestions are listed. */
export const maxSuggestions = 50;

/** A name can be written bare in a reference only if it is made of these characters. */
export const isPlainName = (name: string) => /^[A-Za-z0-9_-]+$/.test(name);

const unquote = (prefix: string) => prefix.replace(/^(\.|\[\s*"?)/, '');

/** The suggestions for `completion` among `names`, filtered by what is typed (ignoring case). */
export function completionOptions(
  completion: ReferenceCompletion,
  names: ReferenceNames | undefined,
): CompletionOption[] {
  const typed = unquote(completion.prefix).toLowerCase();
  const matching = (options: readonly CompletionOption[]) =>
    options
      .filter((option) => option.name.toLowerCase().startsWith(typed))
      .slice(0, maxSuggestions);
  const sorted = (list: readonly string[], kind: CompletionOption['kind']) =>
    [...new Set(list)]
      .sort((a, b) => a.localeCompare(b, 'en'))
      .map((name) => ({ label: name, name, kind }));
  switch (completion.context) {
    case 'root':
      return matching(rootOptions);
    case 'vault-name': {
      const all = [...(names?.defaultVault ? [names.defaultVault] : []), ...(names?.vaults ?? [])];
      return matching(
        sorted(
          all.map((vault) => vault.name),
          'vault',
        ),
      );
    }
    case 'entry': {
      if (names === undefined) return [];
      const vault =
        completion.vault === undefined
          ? names.defaultVault
          : [...(names.defaultVault ? [names.defaultVault] : []), ...names.vaults].find(
              (candidate) => candidate.name === completion.vault,
            );
      return matching(sorted(vault?.entries ?? [], 'entry'));
    }
    case 'keep':
      return matching(sorted(names?.kept ?? [], 'kept'));
  }
}

/** An accessor as a reference writes it: `.name` when plain, `["name"]` otherwise. */
export function accessorText(name: string, bracket = false): string {
  return !bracket && isPlainName(name)
    ? `.${name}`
    : `["${name.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"]`;
}

/**
 * The text after choosing `option` for `completion`, and where the cursor goes. The accessor
 * being typed (from its "." or "[", wherever core's `from` points in it) is replaced by the
 * chosen name's: `.name`, or `["name"]` when the name is not plain or a bracket was started.
 * A vault name is followed by a dot (its entry comes next); an entry or kept name closes the
 * reference with `}` unless one follows already.
 */
export function applyCompletion(
  text: string,
  completion: ReferenceCompletion,
  option: CompletionOption,
): { text: string; cursor: number } {
  let from = completion.from;
  let to = completion.to;
  const replace = (insert: string, after = 0) => ({
    text: text.slice(0, from) + insert + text.slice(to),
    cursor: from + insert.length + after,
  });
  if (option.kind === 'root') return replace(option.name);
  // Find where the accessor starts: at `from` itself, or just before it.
  let bracket = false;
  const startsHere = text.charAt(from);
  if (startsHere === '[') bracket = true;
  else if (startsHere !== '.') {
    const before = /(\.|\[\s*"?)$/.exec(text.slice(0, from));
    if (before) {
      from -= before[0].length;
      bracket = before[0] !== '.';
    }
  }
  if (bracket) {
    // A closing `"]` typed ahead of the cursor is replaced too.
    const closing = /^"?\s*\]/.exec(text.slice(to));
    if (closing) to += closing[0].length;
  }
  const insert = accessorText(option.name, bracket);
  if (option.kind === 'vault') {
    // A vault's entry comes next.
    if (text.charAt(to) === '.') return replace(insert, 1);
    return replace(`${insert}.`);
  }
  const closing = /^\s*\}/.exec(text.slice(to));
  if (closing) return replace(insert, closing[0].length);
  return replace(`${insert}}`);
}

/** What the suggestion list shows for the cursor at `cursor` in `text`, if anything. */
export interface Suggestions {
  readonly completion: ReferenceCompletion;
  readonly options: readonly CompletionOption[];
}

/** The suggestions for the cursor, from core's reading of the reference being typed. */
export function suggestionsFor(
  text: string,
  cursor: number,
  names: ReferenceNames | undefined,
): Suggestions | undefined {
  const completion = referenceCompletion(text, cursor);
  if (completion === undefined) return undefined;
  const options = completionOptions(completion, names);
  return options.length === 0 ? undefined : { completion, options };
}

/** The names `@{` may offer for one integration's draft, and the suggestions from them. */
export interface ReferenceNamesState {
  readonly names: Accessor<ReferenceNames | undefined>;
  /** Asks core again for the draft's names (a failure keeps the names there were). */
  refresh(): Promise<void>;
  suggest(text: string, cursor: number): Suggestions | undefined;
  /** Answers arriving later change nothing. */
  dispose(): void;
}

export function createReferenceNames(
  api: IntegrationsApiSource,
  id: IntegrationId,
  draft: Accessor<IntegrationDraft | undefined>,
): ReferenceNamesState {
  const need = requireApi(api);
  const [names, setNames] = createSignal<ReferenceNames | undefined>();
  let disposed = false;

  async function refresh(): Promise<void> {
    const current = draft();
    if (current === undefined) return;
    try {
      const found = await need().referenceNames({ ...current, id });
      if (!disposed) setNames(found);
    } catch {
      // Suggestions are a convenience: the check says what is wrong with a reference.
    }
  }

  return {
    names,
    refresh,
    suggest: (text, cursor) => suggestionsFor(text, cursor, names()),
    dispose() {
      disposed = true;
    },
  };
}
