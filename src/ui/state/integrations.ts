/**
 * The integrations area over `session.integrations` (core/integrations): the list, the
 * selected integration's editor (a draft with dirty tracking, checked as it is edited, the
 * names `@{` offers), runs as they happen, run history, and the vault permissions (grants).
 *
 * The list, the editor pane and the permissions view are siblings under the workspace, so
 * their shared state hangs off the Workspace object (one per unlocked session), as the vaults
 * state does. Everything here is plain signals: no effects, so Node tests drive it directly.
 * Values are never fetched: what a run shows comes masked from core.
 */
import { type Accessor, batch, createSignal } from 'solid-js';
import type { IntegrationId, VaultId } from '../../core/ids';
import {
  type DebugLine,
  type FieldProblem,
  type Grant,
  type GrantAccess,
  httpMethods,
  type Integration,
  type IntegrationDraft,
  type IntegrationField,
  type IntegrationSummary,
  type IntegrationsApi,
  type ReceivedResponse,
  type ReferenceNames,
  type RequestPair,
  type RequestTemplate,
  type RunEvent,
  type RunRecord,
  type RunStatus,
  type SentRequest,
} from '../../core/integrations';
import { type Completion, referenceCompletion } from '../../core/references';
import type { AppState } from './app-state';
import { describeError } from './error-text';
import type { Workspace } from './workspace';

export type { IntegrationsApi };

/** The methods the editor offers, in core's order. */
export const httpMethodChoices = httpMethods;

// ---------------------------------------------------------------------------------------------
// Drafts
// ---------------------------------------------------------------------------------------------

/** What the editor edits: the integration without its id and times. */
export function draftOf(integration: Integration): IntegrationDraft {
  return {
    name: integration.name,
    defaultVault: integration.defaultVault,
    request: integration.request,
    beforeHook: integration.beforeHook,
    afterHook: integration.afterHook,
  };
}

const samePairs = (a: readonly RequestPair[], b: readonly RequestPair[]) =>
  a.length === b.length &&
  a.every(
    (pair, i) =>
      pair.name === b[i]?.name && pair.value === b[i]?.value && pair.enabled === b[i]?.enabled,
  );

/** True when two drafts hold the same thing (what "unsaved changes" is measured against). */
export function sameDraft(a: IntegrationDraft, b: IntegrationDraft): boolean {
  return (
    a.name === b.name &&
    a.defaultVault === b.defaultVault &&
    a.beforeHook === b.beforeHook &&
    a.afterHook === b.afterHook &&
    a.request.method === b.request.method &&
    a.request.url === b.request.url &&
    a.request.body.type === b.request.body.type &&
    a.request.body.text === b.request.body.text &&
    samePairs(a.request.query, b.request.query) &&
    samePairs(a.request.headers, b.request.headers)
  );
}

export type PairList = 'query' | 'headers';

/** The draft with some of its request replaced. The draft itself is not modified. */
export function withRequest(
  draft: IntegrationDraft,
  patch: Partial<RequestTemplate>,
): IntegrationDraft {
  return { ...draft, request: { ...draft.request, ...patch } };
}

/** The draft with pair `index` of `list` changed. */
export function withPair(
  draft: IntegrationDraft,
  list: PairList,
  index: number,
  patch: Partial<RequestPair>,
): IntegrationDraft {
  const pairs = draft.request[list].map((pair, i) => (i === index ? { ...pair, ...patch } : pair));
  return withRequest(draft, { [list]: pairs });
}

/** The draft with an empty, enabled pair added at the end of `list`. */
export function withNewPair(draft: IntegrationDraft, list: PairList): IntegrationDraft {
  return withRequest(draft, {
    [list]: [...draft.request[list], { name: '', value: '', enabled: true }],
  });
}

/** The draft without pair `index` of `list`. */
export function withoutPair(
  draft: IntegrationDraft,
  list: PairList,
  index: number,
): IntegrationDraft {
  return withRequest(draft, { [list]: draft.request[list].filter((_, i) => i !== index) });
}

// ---------------------------------------------------------------------------------------------
// Problems at fields
// ---------------------------------------------------------------------------------------------

/** True when `a` and `b` name the same field. */
export function sameField(a: IntegrationField, b: IntegrationField): boolean {
  if (a.part !== b.part) return false;
  if ((a.part === 'query' || a.part === 'header') && (b.part === 'query' || b.part === 'header'))
    return a.index === b.index && a.side === b.side;
  return true;
}

/** The problems found at `field`. */
export function problemsAt(
  problems: readonly FieldProblem[],
  field: IntegrationField,
): FieldProblem[] {
  return problems.filter((problem) => sameField(problem.field, field));
}

/** Where a field is, in words ("Header 2 value"), for a failure that names it. */
export function fieldLabel(field: IntegrationField): string {
  switch (field.part) {
    case 'url':
      return 'URL';
    case 'body':
      return 'Body';
    case 'default-vault':
      return 'Default vault';
    case 'before-hook':
      return 'Before hook';
    case 'after-hook':
      return 'After hook';
    case 'query':
      return `Query parameter ${field.index + 1} ${field.side}`;
    case 'header':
      return `Header ${field.index + 1} ${field.side}`;
  }
}

/** The DOM id of the control for `field` in the editor (so a failure can focus it). */
export function fieldControlId(prefix: string, field: IntegrationField): string {
  switch (field.part) {
    case 'query':
    case 'header':
      return `${prefix}-${field.part}-${field.index}-${field.side}`;
    default:
      return `${prefix}-${field.part}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Runs as they happen
// ---------------------------------------------------------------------------------------------

export type RunPhase = Extract<RunEvent, { type: 'phase' }>['phase'];

export const runPhaseLabels: Readonly<Record<RunPhase, string>> = {
  checking: 'Checking',
  'before-hook': 'Before hook',
  sending: 'Sending',
  'after-hook': 'After hook',
  saving: 'Saving',
};

export interface RunWaiting {
  readonly vault: string;
  readonly holder: string | undefined;
  readonly since: number | undefined;
}

/** What the run view shows: a run being fed its events, or one from history. */
export interface RunProgress {
  /** The phases reached, in order; the last is the current one while running. */
  readonly phases: readonly RunPhase[];
  readonly waiting: RunWaiting | undefined;
  readonly debug: readonly DebugLine[];
  readonly request: SentRequest | undefined;
  readonly response: ReceivedResponse | undefined;
  /** Set when the run is over. */
  readonly record: RunRecord | undefined;
}

export const emptyRun: RunProgress = {
  phases: [],
  waiting: undefined,
  debug: [],
  request: undefined,
  response: undefined,
  record: undefined,
};

/** The run after `event`. Neither argument is modified. */
export function applyRunEvent(run: RunProgress, event: RunEvent): RunProgress {
  switch (event.type) {
    case 'phase':
      return run.phases.at(-1) === event.phase
        ? run
        : { ...run, phases: [...run.phases, event.phase] };
    case 'waiting':
      return {
        ...run,
        waiting: { vault: event.vault, holder: event.holder, since: event.since },
      };
    case 'waiting-over':
      return run.waiting?.vault === event.vault ? { ...run, waiting: undefined } : run;
    case 'debug':
      return { ...run, debug: [...run.debug, event.line] };
    case 'request':
      return { ...run, request: event.request };
    case 'response':
      return { ...run, response: event.response };
    case 'done':
      return runFromRecord(event.record, run.phases);
  }
}

/** A finished run as the run view shows it (what history keeps is the record). */
export function runFromRecord(record: RunRecord, phases: readonly RunPhase[] = []): RunProgress {
  return {
    phases,
    waiting: undefined,
    debug: record.debug,
    request: record.request,
    response: record.response,
    record,
  };
}

export const runStatusLabels: Readonly<Record<RunStatus, string>> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * "Waiting for my-vault, open in another tab since 10:42", or with the holder's own label
 * ("(Tab opened 10:40)") when it did not say since when.
 */
export function describeWaiting(waiting: RunWaiting, time: (at: number) => string): string {
  if (waiting.since !== undefined)
    return `Waiting for ${waiting.vault}, open in another tab since ${time(waiting.since)}`;
  const holder = waiting.holder === undefined ? '' : ` (${waiting.holder})`;
  return `Waiting for ${waiting.vault}, open in another tab${holder}`;
}

/** The warning about secrets too short to mask, or undefined when there are none. */
export function shortSecretsWarning(count: number): string | undefined {
  if (count <= 0) return undefined;
  return count === 1
    ? '1 secret value used by this run is shorter than 6 characters and is not masked in output.'
    : `${count} secret values used by this run are shorter than 6 characters and are not masked in output.`;
}

/** "1.2 s", "340 ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

// ---------------------------------------------------------------------------------------------
// `@{` suggestions
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// The editor of one integration
// ---------------------------------------------------------------------------------------------

/** Timers, injected so tests choose when the debounced check runs. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** How long after the last edit the draft is checked. */
export const checkDelayMs = 300;

export interface EditorOptions {
  readonly timers?: Timers;
  /** The hook time limit to run with, read at each run (the user's setting). */
  readonly hookTimeLimitMs?: () => number;
  /** Told when the saved integration changes (its name: the list shows it). */
  readonly onSaved?: (integration: Integration) => void;
  /** Told when a run is over (history refreshes). */
  readonly onRunDone?: (record: RunRecord) => void;
}

export interface IntegrationEditor {
  readonly id: IntegrationId;
  /** The integration as last loaded or saved; undefined while loading. */
  readonly saved: Accessor<Integration | undefined>;
  readonly loadError: Accessor<string | undefined>;
  readonly draft: Accessor<IntegrationDraft | undefined>;
  /** True when the draft differs from what is saved. */
  dirty(): boolean;
  load(): Promise<void>;
  update(change: (draft: IntegrationDraft) => IntegrationDraft): void;
  /** Drops the unsaved changes. */
  discard(): void;
  readonly saving: Accessor<boolean>;
  readonly saveError: Accessor<string | undefined>;
  /** Saves the draft; false (and saveError) when it could not be saved. */
  save(): Promise<boolean>;
  /** A rename from the list: the saved name changes, and the draft's if it was not edited. */
  renamed(integration: Integration): void;

  readonly problems: Accessor<readonly FieldProblem[]>;
  readonly checkError: Accessor<string | undefined>;
  /** Checks the draft now (and cancels a pending debounced check). */
  check(): Promise<void>;
  /** The names `@{` may offer (refreshed on load, on saves and after runs). */
  readonly names: Accessor<ReferenceNames | undefined>;
  refreshNames(): Promise<void>;
  suggest(text: string, cursor: number): Suggestions | undefined;

  readonly running: Accessor<boolean>;
  /** The run shown in the run view: the one going on, or the last one run here. */
  readonly progress: Accessor<RunProgress | undefined>;
  readonly runError: Accessor<string | undefined>;
  /** Saves unsaved changes, then runs; resolves with the record, or undefined. */
  run(): Promise<RunRecord | undefined>;
  /** Stops the run going on (waiting for a vault, a hook, or the request). */
  cancel(): void;
  /** Stops timers; a run going on is cancelled. */
  dispose(): void;
}

export function createIntegrationEditor(
  api: () => IntegrationsApi | undefined,
  id: IntegrationId,
  options: EditorOptions = {},
): IntegrationEditor {
  const timers = options.timers ?? realTimers;
  const [saved, setSaved] = createSignal<Integration | undefined>();
  const [loadError, setLoadError] = createSignal<string | undefined>();
  const [draft, setDraft] = createSignal<IntegrationDraft | undefined>();
  const [saving, setSaving] = createSignal(false);
  const [saveError, setSaveError] = createSignal<string | undefined>();
  const [problems, setProblems] = createSignal<readonly FieldProblem[]>([]);
  const [checkError, setCheckError] = createSignal<string | undefined>();
  const [names, setNames] = createSignal<ReferenceNames | undefined>();
  const [running, setRunning] = createSignal(false);
  const [progress, setProgress] = createSignal<RunProgress | undefined>();
  const [runError, setRunError] = createSignal<string | undefined>();
  let pendingCheck: unknown;
  let checks = 0;
  let controller: AbortController | undefined;
  let disposed = false;

  const need = (): IntegrationsApi => {
    const found = api();
    if (found === undefined) throw new Error('integrations are not available');
    return found;
  };
  const withId = (value: IntegrationDraft) => ({ ...value, id });

  const dirty = () => {
    const current = draft();
    const stored = saved();
    return current !== undefined && stored !== undefined && !sameDraft(current, draftOf(stored));
  };

  function cancelPendingCheck() {
    if (pendingCheck !== undefined) timers.clearTimeout(pendingCheck);
    pendingCheck = undefined;
  }

  async function check(): Promise<void> {
    cancelPendingCheck();
    const current = draft();
    if (current === undefined) return;
    const mine = ++checks;
    try {
      const found = await need().check(withId(current));
      if (mine !== checks || disposed) return;
      batch(() => {
        setProblems(found);
        setCheckError(undefined);
      });
    } catch (error) {
      if (mine === checks && !disposed) setCheckError(describeError(error));
    }
  }

  function scheduleCheck() {
    cancelPendingCheck();
    pendingCheck = timers.setTimeout(() => {
      pendingCheck = undefined;
      void check();
    }, checkDelayMs);
  }

  async function refreshNames(): Promise<void> {
    const current = draft();
    if (current === undefined) return;
    try {
      const found = await need().referenceNames(withId(current));
      if (!disposed) setNames(found);
    } catch {
      // Suggestions are a convenience: the check says what is wrong with a reference.
    }
  }

  async function load(): Promise<void> {
    try {
      const integration = await need().get(id);
      if (disposed) return;
      batch(() => {
        setSaved(integration);
        setDraft(draftOf(integration));
        setLoadError(undefined);
      });
      void check();
      void refreshNames();
    } catch (error) {
      if (!disposed) setLoadError(describeError(error));
    }
  }

  async function save(): Promise<boolean> {
    const sent = draft();
    if (sent === undefined) return false;
    setSaving(true);
    setSaveError(undefined);
    try {
      const result = await need().save(id, sent);
      batch(() => {
        setSaved(result);
        // Edits made while saving stay unsaved; otherwise take what core kept (it may trim).
        if (draft() === sent) setDraft(draftOf(result));
      });
      options.onSaved?.(result);
      void refreshNames();
      return true;
    } catch (error) {
      setSaveError(describeError(error));
      return false;
    } finally {
      setSaving(false);
    }
  }

  async function run(): Promise<RunRecord | undefined> {
    if (running()) return undefined;
    const mine = new AbortController();
    controller = mine;
    batch(() => {
      setRunning(true);
      setRunError(undefined);
      setProgress(emptyRun);
    });
    try {
      if (dirty() && !(await save())) {
        batch(() => {
          setProgress(undefined);
          setRunError('The changes could not be saved, so nothing was run.');
        });
        return undefined;
      }
      if (mine.signal.aborted) {
        setProgress(undefined);
        return undefined;
      }
      void check();
      const hookTimeLimitMs = options.hookTimeLimitMs?.();
      const record = await need().run(id, {
        signal: mine.signal,
        ...(hookTimeLimitMs === undefined ? {} : { hookTimeLimitMs }),
        onEvent: (event) => setProgress((current) => applyRunEvent(current ?? emptyRun, event)),
      });
      setProgress((current) => runFromRecord(record, current?.phases ?? []));
      options.onRunDone?.(record);
      void refreshNames();
      return record;
    } catch (error) {
      setRunError(describeError(error));
      return undefined;
    } finally {
      if (controller === mine) controller = undefined;
      setRunning(false);
    }
  }

  return {
    id,
    saved,
    loadError,
    draft,
    dirty,
    load,
    update(change) {
      const current = draft();
      if (current === undefined) return;
      const next = change(current);
      setDraft(next);
      setSaveError(undefined);
      scheduleCheck();
      if (next.defaultVault !== current.defaultVault) void refreshNames();
    },
    discard() {
      const stored = saved();
      if (stored === undefined) return;
      batch(() => {
        setDraft(draftOf(stored));
        setSaveError(undefined);
      });
      scheduleCheck();
    },
    saving,
    saveError,
    save,
    renamed(integration) {
      const before = saved();
      const current = draft();
      batch(() => {
        setSaved(integration);
        if (current !== undefined && before !== undefined && current.name === before.name)
          setDraft({ ...current, name: integration.name });
      });
    },
    problems,
    checkError,
    check,
    names,
    refreshNames,
    suggest: (text, cursor) => suggestionsFor(text, cursor, names()),
    running,
    progress,
    runError,
    run,
    cancel() {
      controller?.abort();
    },
    dispose() {
      disposed = true;
      cancelPendingCheck();
      controller?.abort();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The area: list, editors, history, grants
// ---------------------------------------------------------------------------------------------

/** A run history of one integration, newest first. */
export interface RunHistory {
  readonly runs: Accessor<readonly RunRecord[]>;
  readonly loaded: Accessor<boolean>;
  readonly error: Accessor<string | undefined>;
  refresh(): Promise<void>;
  clear(): Promise<void>;
}

export interface IntegrationsState {
  readonly list: Accessor<readonly IntegrationSummary[]>;
  readonly loaded: Accessor<boolean>;
  readonly loadError: Accessor<string | undefined>;
  refresh(): Promise<void>;
  nameOf(id: IntegrationId): string | undefined;
  create(name: string): Promise<Integration>;
  rename(id: IntegrationId, name: string): Promise<Integration>;
  duplicate(id: IntegrationId): Promise<Integration>;
  remove(id: IntegrationId): Promise<void>;

  /** The editor of `id`, made (and loaded) on first use, kept while the session lasts. */
  editor(id: IntegrationId): IntegrationEditor;
  history(id: IntegrationId): RunHistory;

  readonly grants: Accessor<readonly Grant[]>;
  readonly grantsLoaded: Accessor<boolean>;
  readonly grantsError: Accessor<string | undefined>;
  refreshGrants(): Promise<void>;
  setGrant(grant: Grant): Promise<void>;
  removeGrant(integration: IntegrationId, vault: VaultId): Promise<void>;
}

export interface IntegrationsStateOptions {
  readonly timers?: Timers;
  readonly hookTimeLimitMs?: () => number;
}

export function createIntegrationsState(
  api: () => IntegrationsApi | undefined,
  options: IntegrationsStateOptions = {},
): IntegrationsState {
  const [list, setList] = createSignal<readonly IntegrationSummary[]>([]);
  const [loaded, setLoaded] = createSignal(false);
  const [loadError, setLoadError] = createSignal<string | undefined>();
  const [grants, setGrants] = createSignal<readonly Grant[]>([]);
  const [grantsLoaded, setGrantsLoaded] = createSignal(false);
  const [grantsError, setGrantsError] = createSignal<string | undefined>();
  const editors = new Map<IntegrationId, IntegrationEditor>();
  const histories = new Map<IntegrationId, RunHistory>();

  const need = (): IntegrationsApi => {
    const found = api();
    if (found === undefined) throw new Error('integrations are not available');
    return found;
  };

  async function refresh(): Promise<void> {
    try {
      const found = await need().list();
      batch(() => {
        setList(found);
        setLoadError(undefined);
      });
    } catch (error) {
      setLoadError(describeError(error));
    } finally {
      setLoaded(true);
    }
  }

  async function refreshGrants(): Promise<void> {
    try {
      const found = await need().grants();
      batch(() => {
        setGrants(found);
        setGrantsError(undefined);
      });
    } catch (error) {
      setGrantsError(describeError(error));
    } finally {
      setGrantsLoaded(true);
    }
  }

  /** After a grant changes, the editors' checks and suggestions change too. */
  function recheckEditors() {
    for (const editor of editors.values()) {
      if (editor.draft() === undefined) continue;
      void editor.check();
      void editor.refreshNames();
    }
  }

  function history(id: IntegrationId): RunHistory {
    let found = histories.get(id);
    if (found) return found;
    const [runs, setRuns] = createSignal<readonly RunRecord[]>([]);
    const [historyLoaded, setHistoryLoaded] = createSignal(false);
    const [error, setError] = createSignal<string | undefined>();
    found = {
      runs,
      loaded: historyLoaded,
      error,
      async refresh() {
        try {
          const records = await need().runs(id);
          batch(() => {
            setRuns([...records].sort((a, b) => b.startedAt - a.startedAt || b.seq - a.seq));
            setError(undefined);
          });
        } catch (caught) {
          setError(describeError(caught));
        } finally {
          setHistoryLoaded(true);
        }
      },
      async clear() {
        await need().clearRuns(id);
        setRuns([]);
      },
    };
    histories.set(id, found);
    return found;
  }

  function editor(id: IntegrationId): IntegrationEditor {
    let found = editors.get(id);
    if (found) return found;
    found = createIntegrationEditor(api, id, {
      ...(options.timers ? { timers: options.timers } : {}),
      ...(options.hookTimeLimitMs ? { hookTimeLimitMs: options.hookTimeLimitMs } : {}),
      onSaved: (integration) => {
        setList((current) =>
          current.map((summary) =>
            summary.id === integration.id
              ? { id: integration.id, name: integration.name, updatedAt: integration.updatedAt }
              : summary,
          ),
        );
        void refresh();
      },
      onRunDone: () => {
        const runs = histories.get(id);
        if (runs) void runs.refresh();
      },
    });
    editors.set(id, found);
    void found.load();
    return found;
  }

  return {
    list,
    loaded,
    loadError,
    refresh,
    nameOf: (id) => list().find((summary) => summary.id === id)?.name,
    async create(name) {
      const created = await need().create(name.trim());
      await refresh();
      return created;
    },
    async rename(id, name) {
      const renamed = await need().rename(id, name.trim());
      editors.get(id)?.renamed(renamed);
      await refresh();
      return renamed;
    },
    async duplicate(id) {
      const copy = await need().duplicate(id);
      await Promise.all([refresh(), refreshGrants()]);
      return copy;
    },
    async remove(id) {
      await need().delete(id);
      editors.get(id)?.dispose();
      editors.delete(id);
      histories.delete(id);
      await Promise.all([refresh(), refreshGrants()]);
    },
    editor,
    history,
    grants,
    grantsLoaded,
    grantsError,
    refreshGrants,
    async setGrant(grant) {
      await need().setGrant(grant);
      await refreshGrants();
      recheckEditors();
    },
    async removeGrant(integration, vault) {
      await need().removeGrant(integration, vault);
      await refreshGrants();
      recheckEditors();
    },
  };
}

/** What a grant lets an integration do with a vault, in words. */
export const grantAccessLabels: Readonly<Record<GrantAccess, string>> = {
  read: 'Read',
  'read-write': 'Read and write',
};

/** Words for any error an integrations call rejects with (never a value). */
export function describeIntegrationError(error: unknown): string {
  return describeError(error);
}

/**
 * A problem's or a failure's message as a sentence. Core writes these for people (and masks
 * them); like every core message they start lowercase, to compose into longer ones.
 */
export function messageText(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

const byWorkspace = new WeakMap<Workspace, IntegrationsState>();

/**
 * The integrations state of this workspace (one unlocked session), made on first use.
 */
export function integrationsFor(workspace: Workspace, app: AppState): IntegrationsState {
  let state = byWorkspace.get(workspace);
  if (!state) {
    const api = () => app.session().integrations;
    state = createIntegrationsState(api, {
      hookTimeLimitMs: () => app.settings().hookTimeLimitSeconds * 1000,
    });
    byWorkspace.set(workspace, state);
    void state.refresh();
    void state.refreshGrants();
  }
  return state;
}
