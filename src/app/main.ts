/**
 * The composition root: the one place that builds the platform services and mounts the UI.
 */
import { createEffect, createRoot } from 'solid-js';
import { createComponent, render } from 'solid-js/web';
import { App } from '../ui/components/App';
import { createAppState } from '../ui/state/app-state';
import { createAppUpdates } from '../ui/state/app-updates';
import { createClipboardService } from '../ui/state/clipboard';
import { AppContext } from '../ui/state/context';
import { createStorageStatus } from '../ui/state/storage-status';
import '../ui/styles.css';
import { lazyJoinState } from './lazy-join';
import { createBrowserPlatform, ownMailboxRelayUrl, ownSignalingUrl } from './platform';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const platform = createBrowserPlatform();
// Reading an invitation needs the sync code: it loads with the first invitation, or once
// unlocked (below), never with the first screen.
const join = lazyJoinState(() =>
  import('../ui/state/join').then(({ createJoinState }) => createJoinState(platform.connect)),
);
// An invitation link carries its secret in the fragment: take it, then wipe it from the
// address bar and from history, so it is not left lying around.
const takeInvitation = () => {
  if (!/(^|[#&])join=/.test(location.hash)) return;
  join.offer(location.hash);
  history.replaceState(null, '', location.pathname + location.search);
};
takeInvitation();
window.addEventListener('hashchange', takeInvitation);
const app = createAppState({
  coffer: platform.coffer,
  channel: new BroadcastChannel('coffer/session'),
  activityTarget: document,
  setInterval: (fn, ms) => window.setInterval(fn, ms),
});
const clipboard = createClipboardService({
  writeText: (text) => navigator.clipboard.writeText(text),
  readText: () => navigator.clipboard.readText(),
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
  now: () => Date.now(),
});

createRoot(() => {
  createEffect(() => {
    if (app.phase().name === 'unlocked') join.preload();
  });
  createEffect(() => platform.signaling.set(app.settings().signalingUrls));
  createEffect(() => platform.relays.set(app.settings().relayUrls, app.settings().relayEnabled));
});

render(
  () =>
    createComponent(AppContext.Provider, {
      get value() {
        return {
          app,
          updates: createAppUpdates(),
          clipboard,
          storage: createStorageStatus(navigator.storage),
          sync: {
            connect: platform.connect,
            appUrl: `${location.origin}/`,
            signaling: platform.signaling,
            defaultSignaling: ownSignalingUrl(),
            relays: platform.relays,
            defaultRelay: ownMailboxRelayUrl(),
          },
          join,
        };
      },
      get children() {
        return createComponent(App, {});
      },
    }),
  root,
);
void app.start();
