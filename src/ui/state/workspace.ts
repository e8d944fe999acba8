import { type Accessor, createContext, createSignal, useContext } from 'solid-js';
import type { VaultId } from '../../core/profile';

/**
 * What the main pane shows: a vault (by id, never by name), an unreadable catalog record,
 * settings, or nothing chosen yet ('home': on a phone, the vault list itself).
 */
export type WorkspaceView =
  | { readonly name: 'vault'; readonly id: VaultId }
  | { readonly name: 'unreadable'; readonly id: VaultId }
  | { readonly name: 'settings' }
  | { readonly name: 'home' };

/** Which screen of the unlocked workspace is showing. */
export interface Workspace {
  readonly view: Accessor<WorkspaceView>;
  show(view: WorkspaceView): void;
}

export function createWorkspace(): Workspace {
  const [view, setView] = createSignal<WorkspaceView>({ name: 'home' });
  return { view, show: setView };
}

export const WorkspaceContext = createContext<Workspace>();

export function useWorkspace(): Workspace {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error('useWorkspace() outside <WorkspaceContext.Provider>');
  return workspace;
}
