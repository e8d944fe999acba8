import { createEffect, Match, Switch } from 'solid-js';
import { useServices } from '../state/context';
import { FirstRun } from './FirstRun';
import { Unlock } from './Unlock';
import { UpdatePrompt } from './UpdatePrompt';
import { Workspace } from './Workspace';

/** The application shell: one screen per phase of the profile. */
export function App() {
  const { app, updates } = useServices();
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
        <Match when={app.phase().name === 'first-run'}>
          <FirstRun />
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
