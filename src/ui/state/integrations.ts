/**
 * The integrations area over `session.integrations` (core/integrations): the list of
 * integrations, and the state object the components get, composed of the pieces that do the
 * work, each in its own module:
 *
 * - integration-editor.ts: the selected integration's editor, built from
 *   integration-draft.ts (the draft, dirty tracking, save), integration-check.ts (checked as
 *   it is edited), integration-completion.ts (the names `@{` offers) and integration-run.ts
 *   (runs as they happen, cancel);
 * - integration-history.ts: run history;
 * - integration-grants.ts: the vault permissions (grants).
 *
 * This module keeps the list, makes an editor and a history per integration on first use, and
 * says what follows what between them (a save renames the list's entry, a run refreshes
 * history, a grant change re-checks the editors and refreshes the connections they offer).
 *
 * The list, the editor pane and the permissions view are siblings under the workspace, so
 * their shared state hangs off the Workspace object (one per unlocked session), as the vaults
 * state does. Everything here is plain signals: no effects, so Node tests drive it directly.
 * Values are never fetched: what a run shows comes masked from core.
 */
import { type Accessor, batch, createSignal } from 'solid-js';
import type { IntegrationId, VaultId } from '../../core/ids';
import type {
  Grant,
  Integration,
  IntegrationSummary,
  IntegrationsApi,
} from '../../core/integrations';
import type { AppState } from './app-state';
import { describeError } from './error-text';
import { type IntegrationsApiSource, requireApi } from './integration-api';
import type { Timers } from './integration-check';
import { createIntegrationEditor, type IntegrationEditor } from './integration-editor';
import { createGrantsState } from './integration-grants';
import { createRunHistory, type RunHistory } from './integration-history';
import type { Workspace } from './workspace';

export type { IntegrationsApi };

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
  api: IntegrationsApiSource,
  options: IntegrationsStateOptions = {},
): IntegrationsState {
  const need = requireApi(api);
  const [list, setList] = createSignal<readonly IntegrationSummary[]>([]);
  const [loaded, setLoaded] = createSignal(false);
  const [loadError, setLoadError] = createSignal<string | undefined>();
  const editors = new Map<IntegrationId, IntegrationEditor>();
  const histories = new Map<IntegrationId, RunHistory>();
  // After a grant changes, the editors' checks, suggestions and connections change too.
  const grants = createGrantsState(api, () => {
    for (const editor of editors.values()) {
      if (editor.draft() === undefined) continue;
      void editor.check();
      void editor.refreshNames();
      void editor.refreshConnections();
    }
  });

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

  function history(id: IntegrationId): RunHistory {
    let found = histories.get(id);
    if (found) return found;
    found = createRunHistory(api, id);
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
      await Promise.all([refresh(), grants.refresh()]);
      return copy;
    },
    async remove(id) {
      await need().delete(id);
      editors.get(id)?.dispose();
      editors.delete(id);
      histories.delete(id);
      await Promise.all([refresh(), grants.refresh()]);
    },
    editor,
    history,
    grants: grants.grants,
    grantsLoaded: grants.loaded,
    grantsError: grants.error,
    refreshGrants: grants.refresh,
    setGrant: grants.set,
    removeGrant: grants.remove,
  };
}

/** Words for any error an integrations call rejects with (never a value). */
export function describeIntegrationError(error: unknown): string {
  return describeError(error);
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
