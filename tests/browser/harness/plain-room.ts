import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';

/** A plain y-webrtc room on the page's own signaling relay, for transport-level tests. */
export function joinPlainRoom(room: string) {
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
