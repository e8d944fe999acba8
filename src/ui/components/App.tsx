import { createEffect, createSignal, lazy, Match, Switch } from 'solid-js';
import { useServices } from '../state/context';
import { FirstRun } from './FirstRun';
import { Unlock } from './Unlock';
import { UpdatePrompt } from './UpdatePrompt';

// The unlocked app loads while the passphrase is being turned into a key: the first screen
// (create or unlock) carries only what it needs.
const Workspace = lazy(() => import('./Workspace').then((m) => ({ default: m.Workspace })));
// Backups (and the Yjs they read) load only when asked for, or once unlocked.
const RestoreBackup = lazy(() =>
  import('./RestoreBackup').then((m) => ({ default: m.RestoreBackup })),
);

/** The application shell: one screen per phase of the profile. */
export function App() {
  const { app, updates } = useServices();
  // "Restore from a backup" on first run: its screen stays until the vaults are in, though the
  // profile it creates is unlocked before that (the workspace then lists every restored vault).
  const [restoring, setRestoring] = createSignal(false);
  // The unlocked app (the Workspace, and the Session under it) loads once the first screen has
  // painted, not on the passphrase field's focus: that field has autofocus, so focus comes
  // before the paint, and typing a passphrase takes longer than loading the rest, so unlocking
  // never waits for it. The same happens on first run and on the recovery screen.
  let preloaded = false;
  createEffect(() => {
    const name = app.phase().name;
    if (preloaded || (name !== 'first-run' && name !== 'locked')) return;
    preloaded = true;
    requestAnimationFrame(() =>
      setTimeout(() => {
        app.preloadSession();
        void Workspace.preload();
      }, 0),
    );
  });
  createEffect(() => {
    if (app.kdfProgress() !== null) void Workspace.preload();
  });
  // 'system' follows the OS; an explicit choice wins over it (see styles.css).
  createEffect(() => {
    const theme = app.settings().theme;
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  });
  return (
    <>
      <Switch>
        <Match when={app.phase().name === 'starting'}>
          <main class="center-screen" aria-busy="true">
            <p>Opening Coffer…</p>
          </main>
        </Match>
        <Match when={restoring()}>
          <RestoreBackup onCancel={() => setRestoring(false)} onDone={() => setRestoring(false)} />
        </Match>
        <Match when={app.phase().name === 'first-run'}>
          <FirstRun onRestore={() => setRestoring(true)} />
        </Match>
        <Match when={app.phase().name === 'locked'}>
          <Unlock />
        </Match>
        <Match when={app.phase().name === 'unlocked'}>
          <Workspace />
        </Match>
      </Switch>
      <UpdatePrompt updates={updates} />
    </>
  );
}
