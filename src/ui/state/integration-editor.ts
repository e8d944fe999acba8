/**
 * The editor of one integration: the handle the editor pane, its fields and its run panel
 * share. It only composes the pieces that do the work, and says what follows what:
 *
 * - the draft, its unsaved changes, load / save / discard (integration-draft.ts);
 * - the check of the draft as it is edited (integration-check.ts): on load, a while after an
 *   edit or a discard, and as a run starts;
 * - the names `@{` offers (integration-completion.ts): on load, after a save, after a run,
 *   and when the default vault changes;
 * - the connections the Auth picker offers (integration-auth.ts): on load, when the default
 *   vault or the grants change, and after one is created or filled in here (which also
 *   re-checks, since what was missing may be there now);
 * - runs (integration-run.ts), which save unsaved changes first.
 *
 * Plain signals, no effects, so Node tests drive it directly.
 */
import type { Accessor } from 'solid-js';
import type { IntegrationId, VaultId } from '../../core/ids';
import type {
  FieldProblem,
  Integration,
  IntegrationDraft,
  ReferenceNames,
  RunRecord,
} from '../../core/integrations';
import type { ConnectionField, ConnectionValue } from '../../core/vault';
import { type IntegrationsApiSource, requireApi } from './integration-api';
import { type ConnectionChoice, createConnectionChoices, withAuth } from './integration-auth';
import { createDraftCheck, type Timers } from './integration-check';
import { createReferenceNames, type Suggestions } from './integration-completion';
import { createDraftState } from './integration-draft';
import { createIntegrationRunner, type RunProgress } from './integration-run';

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

  /** The connections the request's Auth may use (every vault the integration may read). */
  readonly connections: Accessor<readonly ConnectionChoice[]>;
  readonly connectionsError: Accessor<string | undefined>;
  refreshConnections(): Promise<void>;
  /**
   * Creates a connection (the Auth control's "+") and makes it the request's auth; rejects
   * with core's error (name taken, invalid name…), the draft unchanged.
   */
  addConnection(vault: VaultId, name: string, value: ConnectionValue): Promise<void>;
  /** Saves some fields of a connection (a failed run's "Fill in"); rejects with core's error. */
  fillConnection(
    vault: VaultId,
    name: string,
    fields: Readonly<Record<string, ConnectionField | null>>,
  ): Promise<void>;

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
  api: IntegrationsApiSource,
  id: IntegrationId,
  options: EditorOptions = {},
): IntegrationEditor {
  const need = requireApi(api);
  const drafts = createDraftState(api, id, {
    loaded: () => {
      void checker.check();
      void names.refresh();
      void connections.refresh();
      // The hook engine loads while the user edits, not when they first press Run.
      api()?.prepareHooks();
    },
    saved: (integration) => {
      options.onSaved?.(integration);
      void names.refresh();
    },
  });
  const checker = createDraftCheck(api, id, drafts.draft, options.timers);
  const names = createReferenceNames(api, id, drafts.draft);
  const connections = createConnectionChoices(api, id, drafts.draft);
  const runner = createIntegrationRunner(api, id, {
    dirty: drafts.dirty,
    save: drafts.save,
    ...(options.hookTimeLimitMs ? { hookTimeLimitMs: options.hookTimeLimitMs } : {}),
    starting: () => void checker.check(),
    done: (record) => {
      options.onRunDone?.(record);
      void names.refresh();
    },
  });

  return {
    id,
    saved: drafts.saved,
    loadError: drafts.loadError,
    draft: drafts.draft,
    dirty: drafts.dirty,
    load: drafts.load,
    update(change) {
      const current = drafts.draft();
      if (current === undefined) return;
      const next = change(current);
      drafts.edit(next);
      checker.schedule();
      if (next.defaultVault !== current.defaultVault) {
        void names.refresh();
        void connections.refresh();
      }
    },
    discard() {
      if (drafts.discard()) checker.schedule();
    },
    saving: drafts.saving,
    saveError: drafts.saveError,
    save: drafts.save,
    renamed: drafts.renamed,
    problems: checker.problems,
    checkError: checker.checkError,
    check: checker.check,
    names: names.names,
    refreshNames: names.refresh,
    suggest: names.suggest,
    connections: connections.choices,
    connectionsError: connections.error,
    refreshConnections: connections.refresh,
    async addConnection(vault, name, value) {
      await need().createConnection(vault, name, value);
      const current = drafts.draft();
      if (current !== undefined) {
        drafts.edit(withAuth(current, { type: 'connection', vault, connection: name }));
        checker.schedule();
      }
      await connections.refresh();
    },
    async fillConnection(vault, name, fields) {
      await need().updateConnection(vault, name, fields);
      void checker.check();
      await connections.refresh();
    },
    running: runner.running,
    progress: runner.progress,
    runError: runner.runError,
    run: runner.run,
    cancel: runner.cancel,
    dispose() {
      drafts.dispose();
      checker.dispose();
      names.dispose();
      connections.dispose();
      runner.cancel();
    },
  };
}
