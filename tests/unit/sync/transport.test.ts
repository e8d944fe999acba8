import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  type ContractDevice,
  type ContractPeer,
  contractPeer,
  type TransportContractEnv,
  transportScenarios,
} from '../../contract/transport.contract';
import { memoryNetwork } from '../../support/memory-transport';

/**
 * The transport contract over the in-memory network that the other sync tests use: the twin
 * must behave as y-webrtc does (tests/browser/transport.test.ts runs the same cases there).
 */
function memoryEnv(): TransportContractEnv {
  const network = memoryNetwork();
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
            network.connect({ name: room.name, password: room.password, doc, device: label }),
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
        // Vitest fails the run on an uncaught error or unhandled rejection by itself.
        uncaught: async () => [],
      };
    },
    room: (hint) => ({ name: `coffer-test-${hint}-${rooms++}`, password: `pw-${hint}` }),
    async setRelay(up) {
      network.setRelay(up);
    },
    async junkFromRelay(room) {
      network.injectJunk(room.name);
    },
    async junkFromPeer(room) {
      network.injectJunk(room.name);
    },
  };
}

describe('transport contract, over the in-memory network', () => {
  for (const scenario of transportScenarios) {
    it(scenario.name, () => scenario.run(memoryEnv()));
  }
});

describe('the in-memory network, beyond the contract', () => {
  it('a member that left reports offline and is no longer a peer of anyone', async () => {
    const network = memoryNetwork();
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    const ta = network.connect({ name: 'r', password: 'p', doc: a, device: 'a' });
    const tb = network.connect({ name: 'r', password: 'p', doc: b, device: 'b' });
    expect(tb.status()).toMatchObject({ state: 'online', peers: 1, peerDevices: ['a'] });
    await ta.destroy();
    expect(ta.status()).toMatchObject({ state: 'offline', peers: 0, peerDevices: [] });
    expect(tb.status()).toMatchObject({ state: 'online', peers: 0, peerDevices: [] });
    await tb.destroy();
  });
});
