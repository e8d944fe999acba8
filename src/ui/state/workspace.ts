import { type Accessor, createContext, createSignal, useContext } from 'solid-js';
import type { IntegrationId } from '../../core/ids';
import type { VaultId } from '../../core/profile';

/** The parts of the integrations area: an integration's request editor, its run history, or
 * the vault permissions of every integration. */
export type IntegrationsTab = 'request' | 'history' | 'permissions';

/**
 * What the main pane shows: a vault (by id, never by name), an unreadable catalog record,
 * settings, the integrations area, or nothing chosen yet ('home': on a phone, the vault list
 * itself). In the integrations area `id` is the selected integration (none: the list alone);
 * with tab 'permissions', `id` and `vault` prefill the form that adds a grant.
 */
export type WorkspaceView =
  | { readonly name: 'vault'; readonly id: VaultId }
  | { readonly name: 'unreadable'; readonly id: VaultId }
  | { readonly name: 'settings' }
  | {
      readonly name: 'integrations';
      readonly id?: IntegrationId;
      readonly tab?: IntegrationsTab;
      readonly vault?: VaultId;
    }
  | { readonly name: 'home' };

/**
 * Asked before the view changes: false keeps the current view (the screen with unsaved work
 * then asks the user, and shows `next` itself if they choose to leave).
 */
export type LeaveGuard = (next: WorkspaceView) => boolean;

/** Which screen of the unlocked workspace is showing. */
export interface Workspace {
  readonly view: Accessor<WorkspaceView>;
  show(view: WorkspaceView): void;
  /** Installs the guard `show` asks first; returns the function that removes it. */
  guardLeaving(guard: LeaveGuard): () => void;
}

export function createWorkspace(): Workspace {
  const [view, setView] = createSignal<WorkspaceView>({ name: 'home' });
  let guard: LeaveGuard | undefined;
  return {
    view,
    show(next) {
      if (guard && !guard(next)) return;
      setView(next);
    },
    guardLeaving(next) {
      guard = next;
      return () => {
        if (guard === next) guard = undefined;
      };
    },
  };
}

export const WorkspaceContext = createContext<Workspace>();

export function useWorkspace(): Workspace {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error('useWorkspace() outside <WorkspaceContext.Provider>');
  return workspace;
}
