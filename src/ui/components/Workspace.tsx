import {
  createEffect,
  createSignal,
  lazy,
  Match,
  on,
  onCleanup,
  onMount,
  Show,
  Suspense,
  Switch,
} from 'solid-js';
import type { VaultId } from '../../core/profile';
import { useServices } from '../state/context';
import { vaultsFor } from '../state/vaults';
import { createWorkspace, WorkspaceContext } from '../state/workspace';
import { IntegrationsList } from './IntegrationsList';
import { IntegrationsPage } from './IntegrationsPage';
import { JoinVaultDialog } from './JoinVaultDialog';
import { SettingsPage } from './SettingsPage';
import { UnreadableVaultPane } from './UnreadableVaultPane';
import { VaultActionDialogs } from './VaultActionDialogs';
import { VaultPane } from './VaultPane';
import { VaultSidebar } from './VaultSidebar';

// Notices that need their own code only once a profile is unlocked: loaded after the workspace.
const BackupReminder = lazy(() =>
  import('./BackupReminder').then((m) => ({ default: m.BackupReminder })),
);
const RecoveryKitOffer = lazy(() =>
  import('./RecoveryKitOffer').then((m) => ({ default: m.RecoveryKitOffer })),
);

/** styles.css's small-screen query: below it the workspace shows one pane at a time. */
const onePaneQuery = '(max-width: 720px)';

/** Whether the workspace shows one pane at a time now (a phone, or a narrow window). */
function createOnePane(): () => boolean {
  const query = typeof matchMedia === 'function' ? matchMedia(onePaneQuery) : undefined;
  const [onePane, setOnePane] = createSignal(query?.matches ?? false);
  const onChange = (event: MediaQueryListEvent) => setOnePane(event.matches);
  query?.addEventListener('change', onChange);
  onCleanup(() => query?.removeEventListener('change', onChange));
  return onePane;
}

/**
 * The unlocked app: header, vault list, and the selected vault or settings. On a wide screen
 * the list and the pane sit side by side; on a phone one pane shows at a time (the list, then
 * a vault with its entries, then one entry), each with a way back.
 *
 * The recovery kit offer and the backup reminder head the main pane on a wide screen. On a
 * phone they sit in the vault list's pane, under the list (as the storage warning does): at
 * the top of a chosen vault or entry, the two of them filled the screen and pushed what the
 * user opened out of view, and, loaded a moment later, moved it after it had been shown.
 */
export function Workspace() {
  const { app, join } = useServices();
  const workspace = createWorkspace();
  const vaults = vaultsFor(workspace, () => app.session());
  // Open when an invitation arrived in the address bar, or the user chose to paste one.
  const [joining, setJoining] = createSignal(false);
  const showJoin = () => joining() || join.phase() !== undefined;
  const onePane = createOnePane();
  const notices = () => (
    <Suspense>
      <RecoveryKitOffer />
      <BackupReminder />
    </Suspense>
  );
  // Ctrl+Shift+L (Cmd+Shift+L on a Mac) locks every tab at once.
  const onKey = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && event.shiftKey && event.key.toLowerCase() === 'l') {
      event.preventDefault();
      void app.lock('manual');
    }
  };
  onMount(() => document.addEventListener('keydown', onKey));
  onCleanup(() => document.removeEventListener('keydown', onKey));

  // After unlock, the vault used last opens again (once the list says it still exists).
  let reopened = false;
  createEffect(() => {
    if (reopened || !vaults.loaded()) return;
    reopened = true;
    const last = app.settings().lastVaultId;
    const found = vaults.vaults().find((vault) => vault.id === last);
    if (found && workspace.view().name === 'home') workspace.show({ name: 'vault', id: found.id });
  });
  // Remember the vault opened last, sealed with the other settings.
  createEffect(
    on(
      () => {
        const view = workspace.view();
        return view.name === 'vault' ? view.id : undefined;
      },
      (id) => {
        if (id !== undefined && app.settings().lastVaultId !== id) {
          void app.updateSettings({ lastVaultId: id }).catch(() => undefined);
        }
      },
    ),
  );
  const inIntegrations = () => workspace.view().name === 'integrations';
  const pane = () => {
    const view = workspace.view();
    if (view.name === 'home') return 'list';
    // The integrations list is the area's first pane on a phone.
    if (view.name === 'integrations' && view.id === undefined && view.tab !== 'permissions')
      return 'list';
    return 'detail';
  };

  return (
    <WorkspaceContext.Provider value={workspace}>
      <div class="workspace" data-pane={pane()}>
        <header class="app-header">
          <div class="brand">
            <img src="/favicon.svg" alt="" />
            <h1>Coffer</h1>
          </div>
          <button
            type="button"
            class="secondary"
            aria-current={inIntegrations() ? 'page' : undefined}
            onClick={() => workspace.show({ name: 'integrations' })}
          >
            Integrations
          </button>
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
        <Show
          when={inIntegrations()}
          fallback={
            <nav class="sidebar" aria-label="Vaults">
              <VaultSidebar onJoin={() => setJoining(true)} />
              <Show when={onePane()}>{notices()}</Show>
            </nav>
          }
        >
          <nav class="sidebar" aria-label="Integrations">
            <IntegrationsList />
          </nav>
        </Show>
        <main class="main">
          {/* In the main pane, after the header and the vault list in tab order. */}
          <Show when={!onePane()}>{notices()}</Show>
          {/* Only on a phone, where the vault list is a pane of its own. */}
          <Show
            when={inIntegrations()}
            fallback={
              <button
                type="button"
                class="quiet pane-back"
                onClick={() => workspace.show({ name: 'home' })}
              >
                <span aria-hidden="true">←</span> Vaults
              </button>
            }
          >
            <button
              type="button"
              class="quiet pane-back"
              aria-label="Back to integrations"
              onClick={() => workspace.show({ name: 'integrations' })}
            >
              <span aria-hidden="true">←</span> Integrations
            </button>
          </Show>
          <Switch>
            <Match when={workspace.view().name === 'settings'}>
              <SettingsPage />
            </Match>
            <Match when={inIntegrations()}>
              <IntegrationsPage />
            </Match>
            <Match when={workspace.view().name === 'vault' && workspace.view()}>
              {(view) => (
                <Show when={(view() as { id: VaultId }).id} keyed>
                  {(id) => <VaultPane id={id} />}
                </Show>
              )}
            </Match>
            <Match when={workspace.view().name === 'unreadable' && workspace.view()}>
              {(view) => (
                <UnreadableVaultPane
                  id={(view() as { id: VaultId }).id}
                  onJoin={() => setJoining(true)}
                />
              )}
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
      <VaultActionDialogs />
    </WorkspaceContext.Provider>
  );
}
