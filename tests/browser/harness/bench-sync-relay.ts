/**
 * Sync through the mailbox relay, run inside the pages of two separate browsers (`npm run bench`,
 * bench/workloads/sync-relay.ts): device A writes n entries while device B is closed and closes
 * too; B then opens the vault with the relay as the only place the entries can come from.
 * Beside it, a plain `@hocuspocus/provider` client syncing the same room document (A's sealed
 * envelopes, copied into a fresh room of the same relay) with no checks, no decryption and no
 * saving. Times are epoch milliseconds (`performance.timeOrigin + performance.now()`),
 * comparable across browsers on one machine.
 */
import type { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { createBrowserPlatform, ownMailboxRelayUrl } from '../../../src/app/platform';
import { randomBytes, type VaultKey } from '../../../src/core/crypto';
import type { Session } from '../../../src/core/profile';
import { relayRoomOf } from '../../../src/core/relay';
import {
  ENVELOPES_MAP,
  inviteLink,
  joinWithInvite,
  parseInvite,
  type TransportFactory,
  VaultSync,
} from '../../../src/core/sync';
import { handleOf, type VaultHandle } from '../../../src/core/vault';
import { syncBenchEntries } from './bench-entries';
import { fastPolicy } from './core';

const now = () => performance.timeOrigin + performance.now();

const state: {
  platform?: ReturnType<typeof createBrowserPlatform>;
  session?: Session;
  vaultName?: string;
  handle?: VaultHandle | undefined;
  sync?: VaultSync | undefined;
  /** The room document of the vault's sync, and its relay room's name. */
  roomDoc?: Y.Doc;
  relayRoom?: string | undefined;
  /** A's room document as it stood when A closed: what the plain client syncs. */
  roomState?: Uint8Array;
  plain?:
    | { doc: Y.Doc; socket: HocuspocusProviderWebsocket; provider: HocuspocusProvider }
    | undefined;
} = {};

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`no ${what} in this page yet`);
  return value;
}

/** The platform's transports, remembering the room document and relay room they were given. */
function watchedConnect(): TransportFactory {
  const connect = need(state.platform, 'platform').connect;
  return (room) => {
    // Invitation rooms (no relay) are joined through the same factory: only the vault's counts.
    if (room.relay) {
      state.roomDoc = room.doc;
      state.relayRoom = room.relay.room;
    }
    return connect(room);
  };
}

async function startSync(): Promise<VaultSync> {
  const session = need(state.session, 'session');
  state.handle = handleOf(await session.openVault(need(state.vaultName, 'vault name')));
  state.sync = await VaultSync.start({
    vault: state.handle,
    device: await session.device(),
    connect: watchedConnect(),
  });
  return state.sync;
}

async function closeVault(): Promise<void> {
  await state.sync?.stop();
  await state.handle?.close();
  state.sync = undefined;
  state.handle = undefined;
}

async function newProfile(name: string): Promise<Session> {
  await closeVault();
  state.platform = createBrowserPlatform({
    kdfPolicy: fastPolicy,
    databaseName: `bench-sync-relay-${name}-${Date.now()}-${Math.random()}`,
  });
  state.session = await state.platform.coffer.createProfile('bench');
  return state.session;
}

/** Resolves with the time `check` first holds, polling every 20 ms. */
function when(check: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string) {
  const started = now();
  return new Promise<number>((resolve, reject) => {
    const look = () =>
      void Promise.resolve(check()).then(
        (ok) => {
          if (ok) resolve(now());
          else if (now() - started > timeoutMs)
            reject(new Error(`timed out after ${timeoutMs} ms: ${what()}`));
          else setTimeout(look, 20);
        },
        (error: unknown) => reject(error),
      );
    look();
  });
}

/** Calls `then` with when the first update from elsewhere started to be applied to `doc`. */
function onFirstRemote(doc: Y.Doc, then: (startedAt: number, bytes: number) => void): void {
  let startedAt = Number.NaN;
  const start = (transaction: Y.Transaction) => {
    if (!transaction.local) startedAt = now();
  };
  const look = (update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
    if (transaction.local) return;
    doc.off('beforeTransaction', start);
    doc.off('update', look);
    then(startedAt, update.length);
  };
  doc.on('beforeTransaction', start);
  doc.on('update', look);
}

export const benchSyncRelay = {
  /** Device A: a new profile with an empty vault, syncing; returns an invitation link. */
  async host() {
    const session = await newProfile('a');
    state.vaultName = 'bench';
    await session.createVault(state.vaultName);
    const sync = await startSync();
    const invite = await sync.createInvite({ expiresInMs: 600_000, singleUse: true });
    return inviteLink(location.href, invite.token);
  },

  /** Device B: a new profile joins by `link` while the vault is empty, reaches the relay, closes. */
  async join({ link }: { link: string }) {
    const session = await newProfile('b');
    const received = await joinWithInvite({
      token: parseInvite(link),
      device: await session.device(),
      connect: need(state.platform, 'platform').connect,
      timeoutMs: 60_000,
    });
    state.vaultName = (await session.addJoinedVault(received)).name;
    const sync = await startSync();
    await when(
      () => sync.status().relay === 'online',
      30_000,
      () => `relay not reached: ${JSON.stringify(sync.status())}`,
    );
    // Let B's claim of its device reach A and the relay before B goes.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await closeVault();
    return true;
  },

  close: async () => {
    await closeVault();
    return true;
  },

  /** Device A, B closed: opens the vault, writes n entries; returns the relay room to watch. */
  async write({ n }: { n: number }) {
    const sync = await startSync();
    await when(
      () => sync.status().relay === 'online',
      30_000,
      () => `relay not reached: ${JSON.stringify(sync.status())}`,
    );
    const handle = need(state.handle, 'vault');
    for (let start = 0; start < n; start += 1000) {
      await handle.setMany(syncBenchEntries(start, Math.min(n, start + 1000)));
    }
    const writtenAt = Date.now();
    // What the relay will keep: the envelopes in the room once A's checkpoints have replaced
    // the changes they cover (a checkpoint is sealed asynchronously, and deflated it is a
    // fraction of the changes' size), not the device's copy of the room with what was deleted.
    const envelopes = need(state.roomDoc, 'room document').getMap<Uint8Array>(ENVELOPES_MAP);
    const liveBytes = () => [...envelopes.values()].reduce((sum, bytes) => sum + bytes.length, 0);
    let last = liveBytes();
    let since = now();
    await when(
      () => {
        const bytes = liveBytes();
        if (bytes !== last) [last, since] = [bytes, now()];
        return now() - since >= 1000;
      },
      60_000,
      () => `A's room did not settle: ${last} bytes of envelopes`,
    );
    return { room: need(state.relayRoom, 'relay room'), roomBytes: last, writtenAt };
  },

  /** Device A, once the relay holds its writes: keeps the room's state, closes the vault. */
  async finish() {
    const doc = need(state.roomDoc, 'room document');
    state.roomState = Y.encodeStateAsUpdate(doc);
    const envelopes = doc.getMap(ENVELOPES_MAP).size;
    await closeVault();
    return { roomBytes: state.roomState.length, envelopes };
  },

  /**
   * Device B, A closed (no WebRTC peer exists): from opening the vault until all n entries are
   * listed. The phases: `open` (reading the vault), `start` (the sync and its transports set
   * up), `connect` (until the first update from the relay starts to be applied to the room
   * document), `transfer` (applying it to the room document: the provider's sync step),
   * `check` (until the vault shows the first change: envelopes checked, opened, applied),
   * `list` (until all n are listed: the rest applied and saved).
   */
  async open({ n }: { n: number }) {
    const started = now();
    const session = need(state.session, 'session');
    const handle = handleOf(await session.openVault(need(state.vaultName, 'vault name')));
    state.handle = handle;
    const opened = now();
    let arrived = Number.NaN;
    let received = Number.NaN;
    let firstBytes = 0;
    let applied = Number.NaN;
    const stopApplied = handle.onChange((origin) => {
      if (origin === 'remote' && Number.isNaN(applied)) applied = now();
    });
    const connect = watchedConnect();
    const watched: TransportFactory = (room) => {
      onFirstRemote(room.doc, (at, bytes) => {
        arrived = at;
        received = now();
        firstBytes = bytes;
      });
      return connect(room);
    };
    state.sync = await VaultSync.start({
      vault: handle,
      device: await session.device(),
      connect: watched,
    });
    const sync = state.sync;
    const syncing = now();
    let online = Number.NaN;
    const stopStatus = sync.onStatus((status) => {
      if (status.relay === 'online' && Number.isNaN(online)) online = now();
    });
    let listed = 0;
    // Listed again only after the vault changed: listing 10,000 entries every 20 ms while they
    // are applied and saved took CPU from that work (1.4 s of a profiled open), which no
    // screen does (the list is read when the vault says it changed).
    let changed = true;
    const stopChanged = handle.onChange(() => {
      changed = true;
    });
    const done = await when(
      async () => {
        if (!changed) return false;
        changed = false;
        listed = (await handle.list()).length;
        return listed >= n;
      },
      120_000,
      () => `${listed} of ${n} entries, status ${JSON.stringify(sync.status())}`,
    );
    stopStatus();
    stopApplied();
    stopChanged();
    return {
      total: done - started,
      firstUpdateBytes: firstBytes,
      relayOnline: online - started,
      peers: sync.status().peers,
      /** Envelopes in the room document once all are listed (B's own checkpoint among them). */
      roomEnvelopes: need(state.roomDoc, 'room document').getMap(ENVELOPES_MAP).size,
      phases: {
        open: opened - started,
        start: syncing - opened,
        connect: arrived - syncing,
        transfer: received - arrived,
        check: applied - received,
        list: done - applied,
      },
    };
  },

  /** Device A: A's last room state in a fresh room of the same relay (a random key's room). */
  async plainSeed() {
    const { room, token } = relayRoomOf(randomBytes(32) as VaultKey);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, need(state.roomState, 'room state'));
    const plain = await plainProvider(room, token, doc);
    await when(
      () => plain.provider.synced && !plain.provider.hasUnsyncedChanges,
      60_000,
      () => 'the plain room was not stored',
    );
    return { room, token, envelopes: doc.getMap(ENVELOPES_MAP).size };
  },

  /** Device B: from creating a provider until it is synced and holds `envelopes` envelopes. */
  async plainJoin({ room, token, envelopes }: { room: string; token: string; envelopes: number }) {
    const doc = new Y.Doc();
    const map = doc.getMap<Uint8Array>(ENVELOPES_MAP);
    let arrived = Number.NaN;
    onFirstRemote(doc, (at) => {
      arrived = at;
    });
    const started = now();
    const plain = await plainProvider(room, token, doc);
    let bytes = 0;
    const done = await when(
      () => {
        if (!plain.provider.synced || map.size < envelopes) return false;
        // Read every envelope, as a device would before checking it.
        bytes = 0;
        for (const value of map.values()) bytes += value.length;
        return true;
      },
      120_000,
      () => `${map.size} of ${envelopes} envelopes`,
    );
    return {
      total: done - started,
      bytes,
      phases: { connect: arrived - started, apply: done - arrived },
    };
  },

  /** Either page: leaves the plain room. */
  plainLeave() {
    if (state.plain) {
      state.plain.provider.destroy();
      state.plain.socket.destroy();
      state.plain.doc.destroy();
    }
    state.plain = undefined;
    return true;
  },

  /** The relay room of the vault, as the page's transport was given it. */
  relayRoom: () => need(state.relayRoom, 'relay room'),
  relayUrl: () => ownMailboxRelayUrl(),
};

/** A plain Hocuspocus provider, built as Coffer's relay transport builds its own (no awareness). */
async function plainProvider(room: string, token: string, doc: Y.Doc) {
  benchSyncRelay.plainLeave();
  const { HocuspocusProvider, HocuspocusProviderWebsocket } = await import('@hocuspocus/provider');
  const socket = new HocuspocusProviderWebsocket({ url: ownMailboxRelayUrl() });
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: room,
    token,
    document: doc,
    awareness: null,
  });
  provider.attach();
  state.plain = { doc, socket, provider };
  return state.plain;
}
