/**
 * Sync benchmark scenarios, run inside the pages of two separate browsers (`npm run bench`,
 * bench/workloads/sync.ts): Coffer's sync (sealed, signed envelopes over y-webrtc) beside plain
 * y-webrtc replicating the same Yjs document with no sealing. Times are epoch milliseconds from
 * `performance.timeOrigin + performance.now()`, comparable across browsers on one machine.
 */
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import { createBrowserPlatform, ownSignalingUrl } from '../../../src/app/platform';
import { randomBytes, toBase64url } from '../../../src/core/crypto';
import type { Session } from '../../../src/core/profile';
import {
  createChunkingWrtc,
  dataChannelConfig,
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
  session?: Session;
  platform?: ReturnType<typeof createBrowserPlatform>;
  handle?: VaultHandle;
  sync?: VaultSync;
  plain?: { doc: Y.Doc; provider: WebrtcProvider } | undefined;
} = {};

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`no ${what} in this page yet`);
  return value;
}

/** Resolves with the time `check` first holds, looking again after every change of the vault. */
function whenVault(handle: VaultHandle, check: () => Promise<boolean>, timeoutMs: number) {
  return new Promise<number>((resolve, reject) => {
    let done = false;
    const finish = (outcome: () => void) => {
      if (done) return;
      done = true;
      stop();
      clearTimeout(timer);
      outcome();
    };
    const look = () =>
      void check().then(
        (ok) => ok && finish(() => resolve(now())),
        (error: unknown) => finish(() => reject(error)),
      );
    const stop = handle.onChange(look);
    const timer = setTimeout(() => finish(() => reject(new Error('timed out'))), timeoutMs);
    look();
  });
}

/**
 * Calls `then` once, with when the first large update from elsewhere (a peer's, through the
 * transport: the other device's state) started to be applied to `doc`: the transfer's end.
 */
function onFirstLargeRemote(doc: Y.Doc, then: (at: number) => void): void {
  let startedAt = Number.NaN;
  const start = (transaction: Y.Transaction) => {
    if (!transaction.local) startedAt = now();
  };
  const look = (update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
    if (transaction.local || update.length < 64 * 1024) return;
    doc.off('beforeTransaction', start);
    doc.off('update', look);
    then(startedAt);
  };
  doc.on('beforeTransaction', start);
  doc.on('update', look);
}

/** The same, for a plain Yjs map. */
function whenMap(map: Y.Map<unknown>, check: () => boolean, timeoutMs: number) {
  return new Promise<number>((resolve, reject) => {
    const look = () => {
      if (!check()) return;
      map.unobserve(look);
      clearTimeout(timer);
      resolve(now());
    };
    const timer = setTimeout(() => {
      map.unobserve(look);
      reject(new Error('timed out'));
    }, timeoutMs);
    map.observe(look);
    look();
  });
}

async function startProfile(databaseName: string): Promise<Session> {
  state.platform = createBrowserPlatform({ kdfPolicy: fastPolicy, databaseName });
  state.session = await state.platform.coffer.createProfile('bench');
  return state.session;
}

export const benchSync = {
  /** Device A: a vault of n entries, open and syncing; returns an invitation link. */
  async coffer({ n }: { n: number }) {
    const session = await startProfile(`bench-sync-a-${Date.now()}`);
    await session.createVault('bench');
    state.handle = handleOf(await session.openVault('bench'));
    for (let start = 0; start < n; start += 1000) {
      await state.handle.setMany(syncBenchEntries(start, Math.min(n, start + 1000)));
    }
    state.sync = await VaultSync.start({
      vault: state.handle,
      device: await session.device(),
      connect: need(state.platform, 'platform').connect,
    });
    return { stateBytes: state.handle.encodeState().length };
  },

  async invite() {
    const invite = await need(state.sync, 'sync').createInvite({
      expiresInMs: 600_000,
      singleUse: true,
    });
    return inviteLink(location.href, invite.token);
  },

  /** Device B, new each time: join by link until all n entries are listed. */
  async cofferJoin({ link, n }: { link: string; n: number }) {
    await state.sync?.stop();
    await state.handle?.close();
    const session = await startProfile(`bench-sync-b-${Date.now()}-${Math.random()}`);
    const device = await session.device();
    const connect = need(state.platform, 'platform').connect;
    const started = now();
    const received = await joinWithInvite({
      token: parseInvite(link),
      device,
      connect,
      timeoutMs: 60_000,
    });
    const answered = now();
    const added = await session.addJoinedVault(received);
    state.handle = handleOf(await session.openVault(added.name));
    const opened = now();
    const handle = state.handle;
    // When the other device's envelopes first reach the vault's room document (the transfer's
    // end), and when the vault first shows a change from another device (checked and applied).
    let arrived = Number.NaN;
    let applied = Number.NaN;
    const stopApplied = handle.onChange((origin) => {
      if (origin === 'remote' && Number.isNaN(applied)) applied = now();
    });
    const watched: TransportFactory = (room) => {
      onFirstLargeRemote(room.doc, (at) => {
        arrived = at;
      });
      return connect(room);
    };
    state.sync = await VaultSync.start({ vault: handle, device, connect: watched });
    const syncing = now();
    const running = state.sync;
    let connected = Number.NaN;
    const stopWatching = running.onStatus((status) => {
      if (status.peers > 0 && Number.isNaN(connected)) connected = now();
    });
    const done = await whenVault(
      handle,
      async () => (await handle.list()).length >= n,
      120_000,
    ).catch(async (error: unknown) => {
      // Say where it stood: connected or not, how much arrived, what was refused.
      throw new Error(
        `${String(error)}: ${(await handle.list()).length} of ${n} entries, status ${JSON.stringify(running.status())}`,
      );
    });
    stopWatching();
    stopApplied();
    return {
      total: done - started,
      answered: answered - started,
      connected: connected - started,
      phases: {
        invite: answered - started,
        open: opened - answered,
        start: syncing - opened,
        // With the envelopes brought by the invitation (first-sync.ts) the room's copy comes
        // after they are applied, within `start` (which saves them too): `arrived` is then
        // later than `applied`, and `room` is not a phase of this join.
        room: arrived < applied ? arrived - syncing : Number.NaN,
        // The envelopes follow the answer (first-sync.ts): opening overlaps their transfer, and
        // `apply` runs from the vault opened until they are checked and applied, their wait
        // included.
        apply: applied - (arrived < applied ? arrived : opened),
        list: done - applied,
      },
    };
  },

  /** Arms B to see `value` under `name`; resolves (through `seen`) with when it did. */
  watchCoffer({ name, value }: { name: string; value: string }) {
    const handle = need(state.handle, 'vault');
    const seen = whenVault(handle, async () => (await handle.get(name)) === value, 30_000);
    (state as { seen?: Promise<number> }).seen = seen;
    return true;
  },
  async writeCoffer({ name, value }: { name: string; value: string }) {
    const at = now();
    await need(state.handle, 'vault').set(name, value);
    return at;
  },
  seen: () => (state as { seen?: Promise<number> }).seen,

  /** Plain y-webrtc: a document with the same Yjs content as Coffer's vault, in a fresh room. */
  async plainHost({ room, password }: { room: string; password: string }) {
    // The last round's document goes, as on the other side: a page holding every round's
    // copy would spend the later rounds collecting garbage.
    if (state.plain) {
      state.plain.provider.destroy();
      state.plain.doc.destroy();
    }
    const doc = new Y.Doc();
    Y.applyUpdate(doc, need(state.handle, 'vault').encodeState());
    const provider = plainProvider(room, password, doc);
    state.plain = { doc, provider };
    // In the room before the other side comes, as a vault's device is: two plain peers that
    // announce at the same moment can clash and wait for ever (Coffer's transport drops such
    // connections; plain y-webrtc does not).
    await (provider as unknown as { key: PromiseLike<unknown> }).key;
    await new Promise((resolve) => setTimeout(resolve, 500));
    return doc.getMap('entries').size;
  },
  /** Plain y-webrtc, the other side: from joining the room until all n entries are there. */
  async plainJoin({ room, password, n }: { room: string; password: string; n: number }) {
    if (state.plain) {
      state.plain.provider.destroy();
      state.plain.doc.destroy();
      // y-webrtc frees a room name asynchronously.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const doc = new Y.Doc();
    const entries = doc.getMap('entries');
    let arrived = Number.NaN;
    onFirstLargeRemote(doc, (at) => {
      arrived = at;
    });
    const started = now();
    state.plain = { doc, provider: plainProvider(room, password, doc) };
    const provider = state.plain.provider;
    const done = await whenMap(entries, () => entries.size >= n, 120_000).catch(
      (error: unknown) => {
        const room = (
          provider as unknown as {
            room: { webrtcConns: Map<string, { connected: boolean }> } | null;
          }
        ).room;
        const conns = room ? [...room.webrtcConns.values()].map((c) => c.connected) : 'no room';
        throw new Error(
          `${String(error)}: ${entries.size} of ${n} entries; connections ${JSON.stringify(conns)}`,
        );
      },
    );
    return { total: done - started, phases: { connect: arrived - started, apply: done - arrived } };
  },
  watchPlain({ name, value }: { name: string; value: string }) {
    const map = need(state.plain, 'plain room').doc.getMap('edits');
    (state as { seen?: Promise<number> }).seen = whenMap(
      map,
      () => map.get(name) === value,
      30_000,
    );
    return true;
  },
  writePlain({ name, value }: { name: string; value: string }) {
    const at = now();
    need(state.plain, 'plain room').doc.getMap('edits').set(name, value);
    return at;
  },
  leavePlain() {
    state.plain?.provider.destroy();
    state.plain?.doc.destroy();
    state.plain = undefined;
    return true;
  },
  newRoom: () => ({
    room: `plain-${toBase64url(randomBytes(16))}`,
    password: toBase64url(randomBytes(32)),
  }),
};

/** The transport Coffer uses (framed data channels, one negotiated channel), minus Coffer. */
function plainProvider(room: string, password: string, doc: Y.Doc): WebrtcProvider {
  return new WebrtcProvider(room, doc, {
    signaling: [ownSignalingUrl()],
    password,
    peerOpts: {
      wrtc: createChunkingWrtc({ RTCPeerConnection, RTCSessionDescription, RTCIceCandidate }),
      channelConfig: dataChannelConfig,
      config: { iceServers: [] },
    },
  });
}
