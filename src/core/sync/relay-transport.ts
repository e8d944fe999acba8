import type { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import {
  parseRelayRefusal,
  type RelayRefusalReason,
  type RelayRoom,
  relayCloseCodes,
  relayPath,
} from '../relay';
import { type Cancel, type Scheduler, systemScheduler } from '../time';
import { statusFeed } from './status-feed';
import type {
  RelayProblem,
  RoomOptions,
  Transport,
  TransportFactory,
  TransportState,
  TransportStatus,
} from './transport';

/**
 * Rooms on mailbox relays (docs/sync.md, "The mailbox relay"; src/core/relay): the room's
 * document kept in step with an always-on Hocuspocus server, so that a change made while the
 * other devices are closed waits there for them. It carries the same document y-webrtc does
 * (the `envelopes` map of sealed envelopes), so the relay holds only sealed bytes.
 *
 * - **No awareness.** The provider is given `awareness: null`: it then sends no awareness
 *   message and answers no awareness query (HocuspocusProvider.startSync, MessageReceiver), so
 *   the relay never learns a device id. Its idle check (no message for 30 s closes the socket)
 *   would otherwise rely on awareness updates; a Coffer relay pings each connection instead
 *   (src/server/relay, `keepaliveMs`), which the provider answers.
 * - **Status.** A relay is `online` once the document is in step with it (the provider's
 *   `synced`). It does not say who else is there, so `peers` stays 0 and `knownPeers` is left out.
 * - **Refusals** (a stateless `{"coffer":"refused",...}` message, a close code 44xx, or
 *   Hocuspocus' own permission-denied) become `relayProblem`. `unauthorized` stops that relay
 *   until the room is joined again (retrying cannot help); a full quota or a refused change is
 *   tried again after a growing wait (30 s up to 10 min), not in the provider's 1-s loop.
 * - **Other drops** (the relay down, the network gone) are the provider's own to mend: it
 *   reconnects with exponential backoff and jitter. When the browser says it is offline, the
 *   relays are left; when it is back, they are joined again.
 *
 * - **Leaving** waits (at most `flushMs`, and only while the relay is in step) until the relay
 *   has stored what this device sent last: a closing vault publishes its checkpoint just before
 *   (VaultSync.stop), and the next device to open the vault reads it from the relay.
 *
 * Rooms without `relay` (invitations) get a transport that is simply offline.
 */
export interface RelayTransportOptions {
  /** WebSocket URLs of the mailbox relays, read at each join; empty: no relay. */
  readonly relays: () => readonly string[];
  /** The browser's idea of being online, and its changes. */
  readonly network: {
    online(): boolean;
    onChange(listener: (online: boolean) => void): () => void;
  };
  /** The clock and timers for retries after a refusal (default: the system's). */
  readonly scheduler?: Scheduler;
  /** A WebSocket constructor (default: the global one; Node tests pass `ws`). */
  readonly WebSocket?: unknown;
  /**
   * On leaving, how long to wait at most for a relay that is in step to store what this device
   * sent last (a checkpoint published as the vault closes); default 3000 ms.
   */
  readonly flushMs?: number;
}

/** The relay of the server the app was loaded from: ws(s)://its-host/relay. */
export function ownRelayUrl(origin: string): string {
  return `${origin.replace(/^http/, 'ws')}${relayPath}`;
}

/** The first wait before trying a relay again after it refused a change, doubled each time. */
const refusalRetryMs = 30_000;
const refusalRetryMaxMs = 10 * 60_000;
/** The same after the relay closed the document for no stated reason. */
const dropRetryMs = 2000;
const dropRetryMaxMs = 60_000;
/** See RelayTransportOptions.flushMs. */
const defaultFlushMs = 3000;

const reasonOfCloseCode = new Map<number, RelayRefusalReason>(
  Object.entries(relayCloseCodes).map(([reason, code]) => [code, reason as RelayRefusalReason]),
);

let providerModule: Promise<typeof import('@hocuspocus/provider')> | undefined;
/** Loaded with the first room, not with the app's first screen. */
const loadProvider = () => {
  providerModule ??= import('@hocuspocus/provider');
  return providerModule;
};

export function relayTransport(options: RelayTransportOptions): TransportFactory {
  return (room) => {
    const urls = room.relay ? options.relays() : [];
    if (!room.relay || urls.length === 0) return offlineTransport();
    return joinRelays(room, room.relay, urls, options);
  };
}

/** A transport that never connects: for rooms with no relay, or with relays turned off. */
function offlineTransport(): Transport {
  return {
    status: () => ({ state: 'offline', peers: 0, peerDevices: [] }),
    onStatus: () => () => {},
    destroy: async () => {},
  };
}

/** One relay address for one room. */
interface Link {
  state(): TransportState;
  problem(): RelayProblem | undefined;
  start(): void;
  stop(): void;
  /**
   * Resolves once the relay stored every change this device sent, or at once if it is not in
   * step (unreachable, refusing, still connecting), or after `ms`, whichever comes first.
   */
  flush(ms: number): Promise<void>;
}

function joinRelays(
  room: RoomOptions,
  relay: RelayRoom,
  urls: readonly string[],
  options: RelayTransportOptions,
): Transport {
  const scheduler = options.scheduler ?? systemScheduler;
  let destroyed = false;
  /** Messages from the relays dropped as junk since the room was joined. */
  let junk = 0;
  const onJunk = () => {
    junk++;
    emit();
  };

  const status = (): TransportStatus => {
    const states = links.map((link) => link.state());
    const state: TransportState = destroyed
      ? 'offline'
      : states.includes('online')
        ? 'online'
        : states.includes('connecting')
          ? 'connecting'
          : 'offline';
    const problem = destroyed ? undefined : links.map((link) => link.problem()).find(Boolean);
    return {
      state,
      peers: 0,
      peerDevices: [],
      junk,
      relay: state,
      ...(problem ? { relayProblem: problem } : {}),
    };
  };
  const feed = statusFeed(
    'relay transport status',
    () => status(),
    () => destroyed,
  );
  const emit = feed.emit;

  const links: Link[] = urls.map((url) =>
    createLink(url, room, relay, options, { scheduler, emit, onJunk, gone: () => destroyed }),
  );
  const stopNetwork = options.network.onChange((online) => {
    if (destroyed) return;
    for (const link of links) online ? link.start() : link.stop();
    emit();
  });
  if (options.network.online()) for (const link of links) link.start();

  return {
    status,
    onStatus: feed.onStatus,
    async destroy() {
      if (destroyed) return;
      // What was sent last (the checkpoint of a closing vault) should reach the mailbox before
      // the socket goes: the next device to open the vault reads it from there.
      const flushMs = options.flushMs ?? defaultFlushMs;
      const flushing = Promise.all(links.map((link) => link.flush(flushMs)));
      destroyed = true;
      stopNetwork();
      feed.clear();
      await flushing;
      for (const link of links) link.stop();
    },
  };
}

function createLink(
  url: string,
  room: RoomOptions,
  relay: RelayRoom,
  options: RelayTransportOptions,
  host: {
    readonly scheduler: Scheduler;
    readonly emit: () => void;
    readonly onJunk: () => void;
    readonly gone: () => boolean;
  },
): Link {
  const { scheduler, emit, onJunk, gone } = host;
  let socket: HocuspocusProviderWebsocket | undefined;
  let provider: HocuspocusProvider | undefined;
  /** Bumped by each start and stop: a load that finishes after a stop builds nothing. */
  let generation = 0;
  let problem: RelayProblem | undefined;
  /** `unauthorized`: this relay is not tried again until the room is joined again. */
  let barred = false;
  let refusals = 0;
  /** Documents the relay closed without a refusal, in a row. */
  let drops = 0;
  let retry: Cancel | undefined;

  /** Forgets the provider at once (its late events are ignored); destroys it now or soon. */
  const teardown = (later = false) => {
    const [p, s] = [provider, socket];
    provider = undefined;
    socket = undefined;
    // destroy() tells the relay this document is closed, then closes the socket.
    const destroy = () => {
      p?.destroy();
      s?.destroy();
    };
    if (later) queueMicrotask(destroy);
    else destroy();
  };

  const refuse = (found: RelayProblem) => {
    if (problem?.reason === 'unauthorized' && found.reason !== 'unauthorized') return;
    problem = found;
    if (found.reason === 'unauthorized') barred = true;
    if (!provider) {
      emit();
      return;
    }
    if (!barred) {
      restartAfter(Math.min(refusalRetryMs * 2 ** refusals, refusalRetryMaxMs));
      refusals++;
    } else {
      generation++;
      // Refusals arrive in the provider's own event handlers: leave them before destroying it.
      teardown(true);
    }
    emit();
  };

  /** Drops the provider and joins again after about `wait` ms (jittered). */
  const restartAfter = (wait: number) => {
    generation++;
    teardown(true);
    retry?.();
    retry = scheduler.after(wait * (0.75 + scheduler.random() / 2), () => {
      retry = undefined;
      start();
    });
  };

  const start = () => {
    if (gone() || barred || provider || retry) return;
    const mine = ++generation;
    void loadProvider().then(({ HocuspocusProvider, HocuspocusProviderWebsocket }) => {
      if (mine !== generation || gone() || provider) return;
      // Junk from a relay (bytes that are no Hocuspocus message, a broken Yjs update) would
      // throw inside the socket's message handler: it is counted and dropped instead.
      class GuardedSocket extends HocuspocusProviderWebsocket {
        override onMessage(event: MessageEvent) {
          try {
            super.onMessage(event);
          } catch {
            onJunk();
          }
        }
      }
      socket = new GuardedSocket({
        url,
        ...(options.WebSocket ? { WebSocketPolyfill: options.WebSocket } : {}),
      });
      provider = new HocuspocusProvider({
        websocketProvider: socket,
        name: relay.room,
        token: relay.token,
        document: room.doc,
        awareness: null,
      });
      const current = provider;
      const mineOnly =
        <A extends unknown[]>(f: (...args: A) => void) =>
        (...args: A) => {
          if (provider === current) f(...args);
        };
      current.on('synced', mineOnly(emit));
      current.on(
        'status',
        mineOnly(() => emit()),
      );
      current.on(
        'unsyncedChanges',
        mineOnly(({ number }: { number: number }) => {
          // Everything this device had is stored: whatever was refused before is resolved.
          if (number === 0 && current.synced) {
            drops = 0;
            if (problem && problem.reason !== 'unauthorized') {
              problem = undefined;
              refusals = 0;
            }
          }
          emit();
        }),
      );
      current.on(
        'stateless',
        mineOnly(({ payload }: { payload: string }) => {
          const refusal = parseRelayRefusal(payload);
          if (refusal) refuse(problemOf(refusal));
        }),
      );
      current.on(
        'authenticationFailed',
        mineOnly(() => refuse({ reason: 'unauthorized' })),
      );
      current.on(
        'close',
        mineOnly(({ event }: { event?: { code?: number } }) => {
          const reason = event?.code === undefined ? undefined : reasonOfCloseCode.get(event.code);
          if (reason) refuse(problem?.reason === reason ? problem : { reason });
          else if (socket?.status === 'connected') {
            // The relay closed the document but not the socket (Hocuspocus does so when a
            // hook throws): the provider would wait for ever. Join again, after a while.
            restartAfter(Math.min(dropRetryMs * 2 ** drops, dropRetryMaxMs));
            drops++;
            emit();
          } else emit();
        }),
      );
      current.attach();
      emit();
    });
  };

  return {
    state() {
      if (!provider) return 'offline';
      return provider.synced ? 'online' : 'connecting';
    },
    problem: () => problem,
    start,
    flush(ms) {
      const current = provider;
      if (!current?.synced || !current.hasUnsyncedChanges || socket?.status !== 'connected')
        return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          cancel();
          current.off('unsyncedChanges', look);
          current.off('close', done);
          resolve();
        };
        const look = () => {
          if (!current.hasUnsyncedChanges) done();
        };
        const cancel = scheduler.after(ms, done);
        current.on('unsyncedChanges', look);
        current.on('close', done);
      });
    },
    stop() {
      generation++;
      retry?.();
      retry = undefined;
      teardown();
    },
  };
}

const problemOf = (refusal: {
  reason: RelayRefusalReason;
  quotaBytes?: number;
  usedBytes?: number;
}): RelayProblem => ({
  reason: refusal.reason,
  ...(refusal.quotaBytes !== undefined ? { quotaBytes: refusal.quotaBytes } : {}),
  ...(refusal.usedBytes !== undefined ? { usedBytes: refusal.usedBytes } : {}),
});
