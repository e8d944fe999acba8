/**
 * The browser-test harness: exposes core modules on `window.harness` so Playwright can drive
 * them in real Chromium (IndexedDB, WebCrypto, Web Locks, Workers) across tabs and devices.
 * It is built to dist-harness/ by `npm run build:harness` and never ships with the app.
 */
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';

/** A plain y-webrtc room on the page's own signaling relay, for transport-level tests. */
function joinPlainRoom(room: string) {
  const doc = new Y.Doc();
  const signalingUrl = `${location.origin.replace(/^http/, 'ws')}/signal`;
  const provider = new WebrtcProvider(room, doc, {
    signaling: [signalingUrl],
    peerOpts: { config: { iceServers: [] } },
  });
  const map = doc.getMap<string>('values');
  return {
    set: (key: string, value: string) => map.set(key, value),
    get: (key: string) => map.get(key),
    peerCount: () => provider.room?.webrtcConns.size ?? 0,
    destroy: () => provider.destroy(),
  };
}

const harness = {
  ready: true,
  joinPlainRoom,
  rooms: new Map<string, ReturnType<typeof joinPlainRoom>>(),
};

declare global {
  interface Window {
    harness: typeof harness;
  }
}

window.harness = harness;
const status = document.getElementById('status');
if (status) status.textContent = 'ready';
