import { statusFeed } from './status-feed';
import type { Transport, TransportFactory, TransportState, TransportStatus } from './transport';

/**
 * One room over several transports at once (y-webrtc and the mailbox relay), all replicating
 * the same document: Yjs merges what each brings, and a change that arrives through one is
 * passed on by the others (each provider sends every update it did not receive itself), so
 * whichever is up carries it.
 *
 * Status: `online` if any part is, else `connecting` if any part is, else `offline`. Peers,
 * known peers and device ids add up over the parts (only WebRTC reports any); junk adds up;
 * `relay` and `relayProblem` come from the part that has a relay. Listeners hear each change of
 * the combined status. `destroy()` leaves every part and resolves once all have.
 */
export function combineTransports(...factories: readonly TransportFactory[]): TransportFactory {
  return (room) => combine(factories.map((factory) => factory(room)));
}

function combine(parts: readonly Transport[]): Transport {
  let destroyed = false;
  const status = (): TransportStatus => combinedStatus(parts.map((part) => part.status()));
  const feed = statusFeed('combined transport status', status, () => destroyed);
  const stops = parts.map((part) => part.onStatus(feed.emit));

  return {
    status,
    onStatus: feed.onStatus,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      feed.clear();
      for (const stop of stops) stop();
      await Promise.all(parts.map((part) => part.destroy()));
    },
  };
}

const rank: Readonly<Record<TransportState, number>> = { offline: 0, connecting: 1, online: 2 };

/** The status of a room over `statuses`' transports (exported for the unit tests). */
export function combinedStatus(statuses: readonly TransportStatus[]): TransportStatus {
  let state: TransportState = 'offline';
  let peers = 0;
  let knownPeers: number | undefined;
  let junk: number | undefined;
  const devices = new Set<string>();
  for (const part of statuses) {
    if (rank[part.state] > rank[state]) state = part.state;
    peers += part.peers;
    if (part.knownPeers !== undefined) knownPeers = (knownPeers ?? 0) + part.knownPeers;
    if (part.junk !== undefined) junk = (junk ?? 0) + part.junk;
    for (const device of part.peerDevices) devices.add(device);
  }
  const relay = statuses.find((part) => part.relay !== undefined);
  return {
    state,
    peers,
    ...(knownPeers !== undefined ? { knownPeers } : {}),
    peerDevices: [...devices].sort(),
    ...(junk !== undefined ? { junk } : {}),
    ...(relay?.relay !== undefined ? { relay: relay.relay } : {}),
    ...(relay?.relayProblem ? { relayProblem: relay.relayProblem } : {}),
  };
}
