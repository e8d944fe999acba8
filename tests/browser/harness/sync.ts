/**
 * Sync bindings for browser tests: one device per page (a profile on the real platform, its
 * vaults opened with VaultSync over y-webrtc and the page's own signaling relay), and rogue
 * clients that join a vault's room with plain y-webrtc to attack the shared envelope map.
 * Tests call these through `window.harness.sync` in `page.evaluate`; every call resolves with
 * JSON-able data (`attempt` gives `{ ok, value }` or `{ ok: false, error }`).
 *
 * Times are taken in the page as `performance.timeOrigin + performance.now()`: a high-resolution
 * epoch time that two browser processes on one machine share, so "set on A" and "seen on B"
 * can be subtracted without any round trip through Node.
 */
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import { createBrowserPlatform, ownSignalingUrl } from '../../../src/app/platform';
import { asKey, fromBase64url, toBase64url } from '../../../src/core/crypto';
import { type DeviceIdentity, generateDeviceIdentity } from '../../../src/core/device';
import type { Session } from '../../../src/core/profile';
import {
  asDeviceId,
  createChunkingWrtc,
  dataChannelConfig,
  ENVELOPES_MAP,
  inviteLink,
  joinWithInvite,
  openEnvelope,
  parseInvite,
  roomNameOf,
  type SyncStatus,
  sealEnvelope,
  syncKeyOf,
  transportPasswordOf,
  VaultSync,
} from '../../../src/core/sync';
import {
  type ConnectionValue,
  handleOf,
  type JsonValue,
  type VaultHandle,
  vaultKeyOf,
} from '../../../src/core/vault';
import { ENTRIES_MAP } from '../../../src/core/vault/entry-doc';
import { DEVICES_MAP } from '../../../src/core/vault/members';
import { attempt, fastPolicy } from './core';

type Platform = ReturnType<typeof createBrowserPlatform>;
type Value = JsonValue | ConnectionValue;

interface Opened {
  readonly handle: VaultHandle;
  readonly sync: VaultSync;
}

const state: {
  platform?: Platform;
  session?: Session;
  vaults: Map<string, Opened>;
  watches: Map<number, Promise<Timed>>;
  nextWatch: number;
} = { vaults: new Map(), watches: new Map(), nextWatch: 1 };

interface Timed {
  /** When the condition held (epoch ms, high resolution). */
  readonly at: number;
  /** How long after the wait began. */
  readonly ms: number;
}

const now = () => performance.timeOrigin + performance.now();
const realDateNow = Date.now.bind(Date);

function platform(): Platform {
  if (!state.platform) throw new Error('call harness.sync.start() first');
  return state.platform;
}

function session(): Session {
  if (!state.session) throw new Error('call harness.sync.start() first');
  return state.session;
}

function opened(vault: string): Opened {
  const found = state.vaults.get(vault);
  if (!found) throw new Error(`vault ${vault} is not open in this page`);
  return found;
}

/** JSON with object keys sorted, so two replicas' contents compare as text. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

async function contentsOf(handle: VaultHandle): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const entry of await handle.list()) out[entry.name] = await handle.get(entry.name);
  return out;
}

/**
 * Resolves when `check` holds, looking again on every change `subscribe` reports (and every
 * 250 ms, for changes that raise no event). Checks never overlap, so a slow one (listing
 * 10,000 entries) does not pile up.
 */
function until(
  check: () => Promise<boolean> | boolean,
  options: {
    timeoutMs: number;
    what: string;
    subscribe?: ReadonlyArray<(listener: () => void) => () => void>;
  },
): Promise<Timed> {
  const started = now();
  return new Promise<Timed>((resolve, reject) => {
    let done = false;
    let busy = false;
    let again = false;
    const stops = (options.subscribe ?? []).map((subscribe) => subscribe(() => void look()));
    const poll = setInterval(() => void look(), 250);
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}`)),
        ),
      options.timeoutMs,
    );
    function finish(outcome: () => void) {
      if (done) return;
      done = true;
      clearInterval(poll);
      clearTimeout(timer);
      for (const stop of stops) stop();
      outcome();
    }
    async function look() {
      if (done) return;
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      try {
        do {
          again = false;
          if (await check()) {
            const at = now();
            finish(() => resolve({ at, ms: at - started }));
            return;
          }
        } while (again && !done);
      } catch (error) {
        finish(() => reject(error));
      } finally {
        busy = false;
      }
    }
    void look();
  });
}

/** Waits on a vault: its changes and its sync status both prompt a look. */
function untilVault(
  vault: string,
  check: (open: Opened) => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<Timed> {
  const open = opened(vault);
  return until(() => check(open), {
    timeoutMs,
    what: `${what} in ${vault}`,
    subscribe: [
      (listener) => open.handle.onChange(listener),
      (listener) => open.sync.onStatus(listener),
    ],
  });
}

async function openSynced(name: string): Promise<Opened> {
  const handle = handleOf(await session().openVault(name));
  const sync = await VaultSync.start({
    vault: handle,
    device: await session().device(),
    connect: platform().connect,
  });
  const entry = { handle, sync };
  state.vaults.set(name, entry);
  return entry;
}

// ---------- rogue clients ----------

/** A client that joins a vault's room with plain y-webrtc: no Coffer checks, no healing. */
const rogue: {
  provider?: WebrtcProvider;
  doc?: Y.Doc;
  /** The envelope map as first seen, to tell when the devices have put theirs back. */
  original?: Map<string, Uint8Array>;
} = {};

interface ProviderInternals {
  readonly room: { readonly webrtcConns: Map<string, { readonly connected: boolean }> } | null;
  readonly signalingConns: { readonly connected: boolean }[];
}

function rogueMap(): Y.Map<unknown> {
  if (!rogue.doc) throw new Error('call harness.sync.rogueJoin() first');
  return rogue.doc.getMap(ENVELOPES_MAP);
}

const randomBytes = (length: number) => {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
  return bytes;
};

const bytesEqual = (a: unknown, b: Uint8Array) =>
  a instanceof Uint8Array && a.length === b.length && a.every((byte, i) => byte === b[i]);

const envelopeKey = /^[A-Za-z0-9_-]{43}\.(c|\d+)$/;
const magic = [0x43, 0x46, 0x53, 0x59];

/** What in the rogue's map looks like a device's envelope, by its key and its first bytes. */
function envelopeEntries(): [string, Uint8Array][] {
  return [...rogueMap().entries()].filter(
    (pair): pair is [string, Uint8Array] =>
      envelopeKey.test(pair[0]) &&
      pair[1] instanceof Uint8Array &&
      magic.every((byte, i) => (pair[1] as Uint8Array)[i] === byte),
  );
}

export const sync = {
  /** A platform with the fast test KDF, a new profile, and this device's name. */
  start: (deviceName: string) =>
    attempt(async () => {
      state.platform = createBrowserPlatform({ kdfPolicy: fastPolicy, holderLabel: deviceName });
      state.session = await state.platform.coffer.createProfile('correct horse battery staple');
      await state.session.setDeviceName(deviceName);
      const device = await state.session.device();
      return { deviceId: device.id as string, signaling: state.platform.signaling.get() };
    }),
  createVault: (name: string) =>
    attempt(async () => {
      const summary = await session().createVault(name);
      return { id: summary.id as string, name: summary.name };
    }),
  /** Opens a vault and starts its sync. */
  open: (name: string) =>
    attempt(async () => {
      const { handle } = await openSynced(name);
      return { id: handle.id };
    }),
  /** Sets an entry; `at` is taken just before the write, for latency across devices. */
  set: (vault: string, name: string, value: Value, kind?: 'item' | 'secret' | 'connection') =>
    attempt(async () => {
      const at = now();
      await opened(vault).handle.set(name, value, kind ? { kind } : {});
      return { at, ms: now() - at };
    }),
  setMany: (
    vault: string,
    entries: { name: string; value: Value; kind?: 'item' | 'secret' | 'connection' }[],
  ) =>
    attempt(async () => {
      const at = now();
      await opened(vault).handle.setMany(entries);
      return { at, ms: now() - at };
    }),
  /** `count` entries `${prefix}${i}` with values shaped like service credentials, in batches. */
  fill: (vault: string, prefix: string, count: number, batch: number, marker: string) =>
    attempt(async () => {
      const started = now();
      const handle = opened(vault).handle;
      const hex = (bytes: number) =>
        Array.from(randomBytes(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
      for (let from = 0; from < count; from += batch) {
        const entries = [];
        for (let i = from; i < Math.min(count, from + batch); i++) {
          entries.push({
            name: `${prefix}${i}`,
            value: {
              host: `svc-${i}.${marker}.internal.example`,
              port: 1024 + (i % 50000),
              user: `svc_${i}_${marker}`,
              token: `tok_${hex(24)}`,
            },
          });
        }
        await handle.setMany(entries);
      }
      return { ms: now() - started, stateBytes: handle.encodeState().length };
    }),
  get: (vault: string, name: string) => attempt(() => opened(vault).handle.get(name)),
  list: (vault: string) =>
    attempt(async () => (await opened(vault).handle.list()).map((entry) => entry.name)),
  contents: (vault: string) => attempt(() => contentsOf(opened(vault).handle)),
  /** Entry count and a SHA-256 of the canonical contents: compares large vaults cheaply. */
  digest: (vault: string) =>
    attempt(async () => {
      const contents = await contentsOf(opened(vault).handle);
      const hash = await crypto.subtle.digest(
        'SHA-256',
        new TextEncoder().encode(canonical(contents)),
      );
      return { count: Object.keys(contents).length, sha256: toBase64url(new Uint8Array(hash)) };
    }),
  status: (vault: string) => attempt((): SyncStatus => opened(vault).sync.status()),
  devices: (vault: string) =>
    attempt(() =>
      opened(vault)
        .handle.members.devices()
        .map((device) => ({ id: device.id, name: device.name })),
    ),
  reviews: (vault: string) =>
    attempt(() =>
      opened(vault)
        .handle.reviews()
        .map((review) => review.name),
    ),
  /** Ids of the vault's invitations this device knows of (they sync like everything else). */
  invites: (vault: string) =>
    attempt(() =>
      opened(vault)
        .handle.members.invites()
        .map((invite) => invite.id),
    ),
  createInvite: (
    vault: string,
    options: {
      expiresInMs: number;
      singleUse: boolean;
      role?: 'admin' | 'editor' | 'viewer';
      ownDevice?: boolean;
    },
  ) =>
    attempt(async () => {
      const invite = await opened(vault).sync.createInvite(options);
      return inviteLink(location.href, invite.token);
    }),
  /**
   * The new device's side of an invitation: join, add the vault to the profile, open it and
   * start its sync. `startedAt` is when joining began (epoch ms, high resolution).
   */
  join: (link: string, timeoutMs = 60_000) =>
    attempt(async () => {
      const startedAt = now();
      const received = await joinWithInvite({
        token: parseInvite(link),
        device: await session().device(),
        connect: platform().connect,
        timeoutMs,
      });
      const answeredAt = now();
      const added = await session().addJoinedVault(received);
      await openSynced(added.name);
      return { name: added.name, startedAt, answeredAt, openedAt: now() };
    }),
  /** The team as this device derives it: members by name, with role, devices and removal. */
  team: (vault: string) =>
    attempt(() => {
      const state = opened(vault).sync.team.state();
      if (!state) return null;
      return [...state.members.values()]
        .map((member) => ({
          name: member.name,
          role: member.role,
          removed: member.removed !== undefined,
          devices: member.devices.length,
        }))
        .sort((x, y) => x.name.localeCompare(y.name));
    }),
  /** The key epoch this device seals under (0: the vault key, before any rotation). */
  epoch: (vault: string) => attempt(() => opened(vault).sync.epoch),
  /** Gives the member named `member` a role (from this device). */
  setRole: (vault: string, member: string, role: 'admin' | 'editor' | 'viewer') =>
    attempt(async () => {
      const { sync: running } = opened(vault);
      const target = [...running.team.state()!.members.values()].find((m) => m.name === member);
      if (!target) throw new Error(`no member named ${member}`);
      await running.team.setRole(target.id, role);
    }),
  /**
   * A modified client: this page's vault stops checking its own member's role before writes,
   * so what it writes goes out signed with its genuine device key (for the other devices to
   * refuse).
   */
  skipOwnChecks: (vault: string) =>
    attempt(() => {
      opened(vault).handle.setPermissions(undefined);
    }),
  /** Removes a device from the vault (from this device). */
  removeDevice: (vault: string, deviceId: string) =>
    attempt(() => opened(vault).sync.removeDevice(deviceId)),
  /**
   * Sets this page's clock `offsetMs` away from the real one (`Date.now`, which sync reads for
   * its sequence numbers when a vault is opened): a device whose user set its clock.
   */
  setClockOffset: (offsetMs: number) =>
    attempt(() => {
      Date.now = () => realDateNow() + offsetMs;
      return Date.now();
    }),
  close: (vault: string) =>
    attempt(async () => {
      const { handle, sync: running } = opened(vault);
      await running.stop();
      await handle.close();
      state.vaults.delete(vault);
    }),

  // ---------- waiting in the page ----------

  waitForValue: (vault: string, name: string, value: Value, timeoutMs: number) =>
    attempt(() =>
      untilVault(
        vault,
        async ({ handle }) => canonical(await handle.get(name)) === canonical(value),
        timeoutMs,
        `${name} to have the expected value`,
      ),
    ),
  waitForContents: (vault: string, expected: Record<string, unknown>, timeoutMs: number) =>
    attempt(() =>
      untilVault(
        vault,
        async ({ handle }) => canonical(await contentsOf(handle)) === canonical(expected),
        timeoutMs,
        'the expected contents',
      ),
    ),
  waitForCount: (vault: string, count: number, timeoutMs: number) =>
    attempt(() =>
      untilVault(
        vault,
        async ({ handle }) => (await handle.list()).length >= count,
        timeoutMs,
        `${count} entries`,
      ),
    ),
  waitForReviews: (vault: string, names: string[], timeoutMs: number) =>
    attempt(() =>
      untilVault(
        vault,
        ({ handle }) =>
          canonical(
            handle
              .reviews()
              .map((review) => review.name)
              .sort(),
          ) === canonical([...names].sort()),
        timeoutMs,
        `reviews of ${names.join(', ')}`,
      ),
    ),
  waitForStatus: (
    vault: string,
    expected: {
      state?: SyncStatus['state'];
      peers?: number;
      minPeers?: number;
      minRefused?: number;
    },
    timeoutMs: number,
  ) =>
    attempt(() =>
      untilVault(
        vault,
        ({ sync: running }) => {
          const status = running.status();
          return (
            (expected.state === undefined || status.state === expected.state) &&
            (expected.peers === undefined || status.peers === expected.peers) &&
            (expected.minPeers === undefined || status.peers >= expected.minPeers) &&
            (expected.minRefused === undefined || status.refused >= expected.minRefused)
          );
        },
        timeoutMs,
        `status ${JSON.stringify(expected)}`,
      ),
    ),
  /**
   * Arms a wait for a value and returns its id at once, so the writer can be told to write only
   * once this side is listening; `watched(id)` gives the outcome.
   */
  watch(vault: string, name: string, value: Value, timeoutMs: number): number {
    const id = state.nextWatch++;
    const waiting = untilVault(
      vault,
      async ({ handle }) => canonical(await handle.get(name)) === canonical(value),
      timeoutMs,
      `${name} to have the expected value`,
    );
    waiting.catch(() => undefined);
    state.watches.set(id, waiting);
    return id;
  },
  watched: (id: number) =>
    attempt(async () => {
      const waiting = state.watches.get(id);
      if (!waiting) throw new Error(`no watch ${id}`);
      state.watches.delete(id);
      return waiting;
    }),

  // ---------- rogues (test-only) ----------

  /** What a vault's room is made of: what a rogue who learnt some of it could use. */
  roomSecrets: (vault: string) =>
    attempt(() => {
      const { handle } = opened(vault);
      return {
        room: roomNameOf(vaultKeyOf(handle)),
        password: transportPasswordOf(vaultKeyOf(handle)),
        vaultKey: toBase64url(vaultKeyOf(handle)),
        vaultId: handle.id,
      };
    }),
  /** Joins a room with plain y-webrtc (framed channels, so it can talk to Coffer's peers). */
  rogueJoin: (room: string, password?: string) =>
    attempt(() => {
      if (rogue.provider) throw new Error('one rogue per page: reload the page for another');
      rogue.doc = new Y.Doc();
      rogue.provider = new WebrtcProvider(room, rogue.doc, {
        signaling: [ownSignalingUrl()],
        ...(password !== undefined ? { password } : {}),
        peerOpts: {
          wrtc: createChunkingWrtc({ RTCPeerConnection, RTCSessionDescription, RTCIceCandidate }),
          // The members' channel setup, so the rogue can talk to them at all.
          channelConfig: dataChannelConfig,
          config: { iceServers: [] },
        },
      });
      return true;
    }),
  rogueState: () =>
    attempt(() => {
      const internals = rogue.provider as unknown as ProviderInternals | undefined;
      if (!internals) throw new Error('no rogue in this page');
      return {
        signaling: internals.signalingConns.some((conn) => conn.connected),
        peers: [...(internals.room?.webrtcConns.values() ?? [])].filter((conn) => conn.connected)
          .length,
        keys: [...rogueMap().keys()].sort(),
      };
    }),
  /** The envelopes the rogue holds: each one's key, version byte and length, as a relay sees them. */
  rogueEnvelopes: () =>
    attempt(() =>
      envelopeEntries().map(([key, bytes]) => ({ key, version: bytes[4]!, bytes: bytes.length })),
    ),
  /** Waits until the rogue holds at least `count` envelopes, and remembers them as they are. */
  rogueWaitForEnvelopes: (count: number, timeoutMs: number) =>
    attempt(async () => {
      const timed = await until(() => envelopeEntries().length >= count, {
        timeoutMs,
        what: `${count} envelopes in the rogue's map`,
      });
      rogue.original = new Map(envelopeEntries().map(([key, bytes]) => [key, bytes.slice()]));
      return { ...timed, keys: [...rogue.original.keys()].sort() };
    }),
  /** Waits until every envelope first seen is back in the rogue's map, byte for byte. */
  rogueWaitForHealed: (timeoutMs: number) =>
    attempt(() => {
      const original = rogue.original;
      if (!original) throw new Error('call rogueWaitForEnvelopes first');
      const map = rogueMap();
      return until(() => [...original].every(([key, bytes]) => bytesEqual(map.get(key), bytes)), {
        timeoutMs,
        what: 'the devices to put their envelopes back',
      });
    }),
  /**
   * Damages the shared map as a peer without the vault key can: every envelope it holds is
   * truncated, replaced by random bytes of its length, or deleted; or, with 'junk', new keys
   * get random bytes, truncated and bit-flipped copies of real envelopes, and values that are
   * not bytes at all.
   */
  rogueVandalize: (mode: 'truncate' | 'garbage' | 'delete' | 'junk') =>
    attempt(() => {
      const map = rogueMap();
      const envelopes = envelopeEntries();
      let writes = 0;
      rogue.doc!.transact(() => {
        if (mode === 'junk') {
          const sizes = [0, 1, 5, 61, 62, 183, 184, 4096, 300_000];
          sizes.forEach((size, i) => {
            map.set(`junk.${i}`, randomBytes(size));
            writes++;
          });
          envelopes.forEach(([key, bytes], i) => {
            for (const cut of [6, 62, 120, bytes.length - 64, bytes.length - 1]) {
              map.set(`${key}.cut${cut}`, bytes.slice(0, Math.max(0, cut)));
              writes++;
            }
            const flipped = bytes.slice();
            const at = (i * 7919 + 100) % flipped.length;
            flipped[at] = flipped[at]! ^ 0x01;
            // Under a fresh key that looks like the author's next change.
            map.set(`${key.split('.')[0]}.${Date.now() * 1000 + 1_000_000 + i}`, flipped);
            writes++;
          });
          map.set('text', 'not bytes');
          map.set('number', 42);
          map.set('object', { envelope: 'no' });
          writes += 3;
          return;
        }
        for (const [key, bytes] of envelopes) {
          if (mode === 'truncate') map.set(key, bytes.slice(0, Math.floor(bytes.length / 2)));
          else if (mode === 'garbage') map.set(key, randomBytes(bytes.length));
          else map.delete(key);
          writes++;
        }
      });
      return { writes };
    }),
  /** Writes into the shared map without a password: it reaches no one, and must not matter. */
  rogueScribble: () =>
    attempt(() => {
      const map = rogueMap();
      rogue.doc!.transact(() => {
        for (let i = 0; i < 5; i++) map.set(`scribble.${i}`, randomBytes(200));
      });
      return true;
    }),
  /**
   * A rogue that holds the vault key but is not in the device list: it opens the envelopes it
   * sees, rebuilds the vault's document from them, and publishes changes it signs with a device
   * identity of its own (one changes `changeName`, deletes `deleteName`, adds `addName` and lists
   * itself as a device), plus the same change under a member's id with a signature that is not
   * that member's, and a replay of a real envelope under a new key.
   */
  rogueForge: (options: {
    vaultKey: string;
    vaultId: string;
    memberId: string;
    changeName: string;
    deleteName: string;
    addName: string;
    value: string;
  }) =>
    attempt(async () => {
      const map = rogueMap();
      const vaultKey = asKey(fromBase64url(options.vaultKey), 'vault');
      const syncKey = syncKeyOf(vaultKey);
      const shadow = new Y.Doc();
      const genuine: Uint8Array[] = [];
      for (const [, bytes] of envelopeEntries()) {
        try {
          const envelope = await openEnvelope(bytes, {
            vaultId: options.vaultId,
            syncKey,
            authorStatus: () => 'allowed',
          });
          Y.applyUpdate(shadow, envelope.update);
          genuine.push(bytes);
        } catch {
          // Not a real envelope (a previous rogue's junk): skipped, as a device would.
        }
      }
      const identity = generateDeviceIdentity();
      const knowledge = Y.encodeStateVector(shadow);
      const entries = shadow.getMap<Y.Map<unknown>>(ENTRIES_MAP);
      const at = Date.now();
      const found = { changed: false, deleted: false };
      shadow.transact(() => {
        for (const [id, entry] of [...entries.entries()]) {
          if (!(entry instanceof Y.Map)) continue;
          const name = entry.get('name');
          if (name === options.changeName) {
            entry.set('value', [at, JSON.stringify(options.value)]);
            entry.set('updatedAt', at);
            found.changed = true;
          } else if (name === options.deleteName) {
            entries.delete(id);
            found.deleted = true;
          }
        }
        const added = new Y.Map<unknown>();
        entries.set('RogueEntry0000001', added);
        added.set('name', options.addName);
        added.set('kind', 'item');
        added.set('createdAt', at);
        added.set('updatedAt', at);
        added.set('value', [at, JSON.stringify(options.value)]);
        shadow
          .getMap(DEVICES_MAP)
          .set(identity.id, { name: 'rogue', addedAt: at, addedBy: options.memberId });
      });
      const update = Y.encodeStateAsUpdate(shadow, knowledge);
      const seq = at * 1000 + 500_000;
      const seal = (author: DeviceIdentity, kind: 'update' | 'checkpoint', s: number) =>
        sealEnvelope({
          kind,
          vaultId: options.vaultId,
          author,
          seq: s,
          syncKey,
          update: kind === 'update' ? update : Y.encodeStateAsUpdate(shadow),
          ...(kind === 'update' ? { knowledge } : {}),
        });
      // The member's public key in the header, the rogue's own key behind the signature.
      const impostor: DeviceIdentity = {
        id: asDeviceId(options.memberId),
        publicKey: fromBase64url(options.memberId),
        secretKey: identity.secretKey,
      };
      const replayed = genuine[0];
      rogue.doc!.transact(() => {
        map.set(`${identity.id}.${seq}`, seal(identity, 'update', seq));
        map.set(`${identity.id}.c`, seal(identity, 'checkpoint', seq + 1));
        map.set(`${options.memberId}.${seq + 2}`, seal(impostor, 'update', seq + 2));
        if (replayed) map.set(`${options.memberId}.${seq + 3}`, replayed.slice());
      });
      return {
        opened: genuine.length,
        ...found,
        updateBytes: update.length,
        rogueId: identity.id as string,
      };
    }),
};
