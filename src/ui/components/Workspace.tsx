import { createSignal, Match, onCleanup, onMount, Show, Switch } from 'solid-js';
import { useServices } from '../state/context';
import { createWorkspace, WorkspaceContext } from '../state/workspace';
import { EvictionNotice } from './EvictionNotice';
import { JoinVaultDialog } from './JoinVaultDialog';
import { SettingsPage } from './SettingsPage';
import { VaultPane } from './VaultPane';
import { VaultSidebar } from './VaultSidebar';

/** The unlocked app: header, vault list, and the selected vault or settings. */
export function Workspace() {
  const { app, join } = useServices();
  const workspace = createWorkspace();
  // Open when an invitation arrived in the address bar, or the user chose to paste one.
  const [joining, setJoining] = createSignal(false);
  const showJoin = () => joining() || join.phase() !== undefined;
  // Ctrl+Shift+L (Cmd+Shift+L on a Mac) locks every tab at once.
  const onKey = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && event.shiftKey && event.key.toLowerCase() === 'l') {
      event.preventDefault();
      void app.lock('manual');
    }
  };
  onMount(() => document.addEventListener('keydown', onKey));
  onCleanup(() => document.removeEventListener('keydown', onKey));
  return (
    <WorkspaceContext.Provider value={workspace}>
      <div class="workspace">
        <header class="app-header">
          <div class="brand">
            <img src="/favicon.svg" alt="" />
            <h1>Coffer</h1>
          </div>
          <button
            type="button"
            class="secondary"
            aria-current={workspace.view().name === 'settings' ? 'page' : undefined}
            onClick={() => workspace.show({ name: 'settings' })}
          >
            Settings
          </button>
          <button
            type="button"
            aria-keyshortcuts="Control+Shift+L"
            title="Lock every tab (Ctrl+Shift+L)"
            onClick={() => void app.lock('manual')}
          >
            Lock
          </button>
        </header>
        <nav class="sidebar" aria-label="Vaults">
          <VaultSidebar onJoin={() => setJoining(true)} />
        </nav>
        <main class="main">
          <EvictionNotice />
          <Switch>
            <Match when={workspace.view().name === 'settings'}>
              <SettingsPage />
            </Match>
            <Match when={workspace.view().name === 'vault' && workspace.view()}>
              {(view) => <VaultPane name={(view() as { name: 'vault'; vault: string }).vault} />}
            </Match>
            <Match when={workspace.view().name === 'home'}>
              <div class="empty-state">
                <h2>Choose a vault</h2>
                <p>Pick a vault from the list, or create one to start storing secrets.</p>
              </div>
            </Match>
          </Switch>
        </main>
      </div>
      <Show when={showJoin()}>
        <JoinVaultDialog onClose={() => setJoining(false)} />
      </Show>
    </WorkspaceContext.Provider>
  );
}
