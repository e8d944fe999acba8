import { sha256 } from '@noble/hashes/sha2.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { VaultKey } from '../../../src/core/crypto';
import { relayRoomOf } from '../../../src/core/relay';
import { combinedStatus, combineTransports } from '../../../src/core/sync/combined-transport';
import { relayTransport } from '../../../src/core/sync/relay-transport';
import type {
  Transport,
  TransportFactory,
  TransportStatus,
} from '../../../src/core/sync/transport';
import {
  type ContractDevice,
  type ContractPeer,
  contractPeer,
  type TransportContractEnv,
  transportScenarios,
} from '../../contract/transport.contract';
import { memoryNetwork } from '../../support/memory-transport';
import { NodeWebSocket, startTestRelay, type TestRelay } from './relay-test-server';

/**
 * The combined transport (WebRTC's in-memory twin + a mailbox relay on a real Hocuspocus server
 * on loopback) held to the transport contract, and its status rules on their own.
 */

let relay: TestRelay;
beforeAll(async () => {
  relay = await startTestRelay();
});
afterAll(async () => {
  await relay.close();
});

const alwaysOnline = { online: () => true, onChange: () => () => {} };

/** A relay room for a contract room, as VaultSync derives one from the vault key. */
const relayRoomFor = (name: string, password: string) =>
  relayRoomOf(sha256(new TextEncoder().encode(`${name}\n${password}`)) as unknown as VaultKey);

function combinedEnv(): TransportContractEnv {
  const network = memoryNetwork();
  const connect = combineTransports(
    network.connect,
    relayTransport({ relays: () => [relay.url], network: alwaysOnline, WebSocket: NodeWebSocket }),
  );
  let rooms = 0;
  return {
    async device(label): Promise<ContractDevice> {
      const docs = new Map<string, Y.Doc>();
      return {
        label,
        async join(room): Promise<ContractPeer> {
          const key = `${room.name}\n${room.password}`;
          const doc = docs.get(key) ?? new Y.Doc();
          docs.set(key, doc);
          const local = contractPeer(
            connect({
              name: room.name,
              password: room.password,
              doc,
              device: label,
              relay: relayRoomFor(room.name, room.password),
            }),
            doc,
          );
          return {
            write: async (entries) => local.write(entries),
            contents: async () => local.contents(),
            orderViolations: async () => local.orderViolations(),
            status: async () => local.status(),
            heard: async () => local.heard(),
            leave: () => local.leave(),
          };
        },
        uncaught: async () => [],
      };
    },
    room: (hint) => ({
      name: `coffer-test-${hint}-${rooms++}-${Math.random()}`,
      password: `pw-${hint}`,
    }),
    // "The relay" of the contract is whatever introduces devices: both go down and come back.
    async setRelay(up) {
      network.setRelay(up);
      await relay.setUp(up);
    },
    async junkFromRelay(room) {
      network.injectJunk(room.name);
    },
    async junkFromPeer(room) {
      network.injectJunk(room.name);
    },
  };
}

describe('transport contract, over WebRTC (in memory) combined with a mailbox relay', () => {
  for (const scenario of transportScenarios) {
    it(scenario.name, () => scenario.run(combinedEnv()), 90_000);
  }
});

/** A transport whose status the test sets. */
function fake(initial: TransportStatus) {
  let current = initial;
  const listeners = new Set<(status: TransportStatus) => void>();
  let destroyed = 0;
  const transport: Transport = {
    status: () => current,
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async destroy() {
      destroyed++;
    },
  };
  return {
    factory: (() => transport) as TransportFactory,
    set(next: Partial<TransportStatus>) {
      current = { ...current, ...next };
      for (const listener of listeners) listener(current);
    },
    destroyed: () => destroyed,
    listeners: () => listeners.size,
  };
}

const offline: TransportStatus = { state: 'offline', peers: 0, peerDevices: [] };

describe('combined status', () => {
  it('is online if any part is, connecting if any is, offline otherwise', () => {
    const relayOn = { ...offline, state: 'online' as const, relay: 'online' as const };
    expect(combinedStatus([offline, offline]).state).toBe('offline');
    expect(combinedStatus([{ ...offline, state: 'connecting' }, offline]).state).toBe('connecting');
    expect(combinedStatus([{ ...offline, state: 'connecting' }, relayOn])).toEqual({
      state: 'online',
      peers: 0,
      peerDevices: [],
      relay: 'online',
    });
  });

  it('takes peers, device ids and junk from WebRTC and the relay state and problem from the relay', () => {
    const webrtc: TransportStatus = {
      state: 'online',
      peers: 2,
      knownPeers: 3,
      peerDevices: ['d2', 'd1'],
      junk: 4,
    };
    const relay: TransportStatus = {
      ...offline,
      relay: 'offline',
      relayProblem: { reason: 'room-quota', quotaBytes: 10, usedBytes: 9 },
    };
    expect(combinedStatus([webrtc, relay])).toEqual({
      state: 'online',
      peers: 2,
      knownPeers: 3,
      peerDevices: ['d1', 'd2'],
      junk: 4,
      relay: 'offline',
      relayProblem: { reason: 'room-quota', quotaBytes: 10, usedBytes: 9 },
    });
  });

  it('hears each change of any part once, stops hearing after destroy, and destroys every part', async () => {
    const a = fake({ ...offline, state: 'connecting' });
    const b = fake({ ...offline, relay: 'connecting', state: 'connecting' });
    const t = combineTransports(
      a.factory,
      b.factory,
    )({
      name: 'r',
      password: 'p',
      doc: new Y.Doc(),
    });
    const heard: TransportStatus[] = [];
    t.onStatus((status) => heard.push(status));
    b.set({ state: 'online', relay: 'online' });
    b.set({ state: 'online', relay: 'online' });
    a.set({ state: 'online', peers: 1, peerDevices: ['x'] });
    expect(heard.map((s) => [s.state, s.peers, s.relay])).toEqual([
      ['online', 0, 'online'],
      ['online', 1, 'online'],
    ]);
    await t.destroy();
    expect([a.destroyed(), b.destroyed()]).toEqual([1, 1]);
    expect([a.listeners(), b.listeners()]).toEqual([0, 0]);
    a.set({ peers: 0 });
    expect(heard).toHaveLength(2);
  });
});
