/**
 * The browser's sync transports: y-webrtc through the signaling relays and the mailbox relays,
 * combined so that whichever is up carries a room's changes. Loaded by platform.ts when the
 * first room is joined (a vault's sync or an invitation), never on the first screen: the
 * unlock screen has no room to join.
 */
import {
  combineTransports,
  relayTransport,
  type TransportFactory,
  webrtcTransport,
} from '../core/sync';

export interface BrowserTransportOptions {
  /** The signaling relays' URLs, read at each join. */
  readonly signaling: () => readonly string[];
  /** The mailbox relays' URLs (none when turned off), read at each join. */
  readonly relays: () => readonly string[];
  readonly network: {
    online(): boolean;
    onChange(listener: (online: boolean) => void): () => void;
  };
}

export function browserTransports(options: BrowserTransportOptions): TransportFactory {
  return combineTransports(
    webrtcTransport({
      signaling: options.signaling,
      webrtc: { RTCPeerConnection, RTCSessionDescription, RTCIceCandidate },
      network: options.network,
    }),
    relayTransport({ relays: options.relays, network: options.network }),
  );
}
