/**
 * A throwaway mailbox relay for the relay transport's Node tests: a plain Hocuspocus server on
 * loopback that follows src/core/relay/index.ts in the least code (the token must open
 * the room; a change that would take the room over `quotaBytes` is refused with the stateless
 * message and close code the protocol names). The real relay is src/server/relay; this one
 * lets the transport be tested on its own, and can be taken down and brought back on its port.
 */
import { Server } from '@hocuspocus/server';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { relayCloseCodes, relayTokenOpens } from '../../../src/core/relay';

export interface TestRelay {
  /** ws://127.0.0.1:<port>/relay */
  readonly url: string;
  /** Tokens refused so far. */
  refusedTokens(): number;
  /** Awareness messages that reached the relay (there must be none). */
  awarenessMessages(): number;
  /** The stored document of a room, as the relay holds it (undefined: never loaded). */
  documentOf(room: string): Y.Doc | undefined;
  setQuota(bytes: number | undefined): void;
  /** Takes the relay down (closing every connection), or brings it back on the same port. */
  setUp(up: boolean): Promise<void>;
  close(): Promise<void>;
}

export async function startTestRelay(): Promise<TestRelay> {
  let refused = 0;
  let awareness = 0;
  let quota: number | undefined;
  let port = 0;
  /** Each room's document as stored, kept across restarts (a relay's storage). */
  const stored = new Map<string, Uint8Array>();
  let server: Server | undefined;

  const make = async () => {
    const next = new Server({
      port,
      address: '127.0.0.1',
      quiet: true,
      stopOnSignals: false,
      async onAuthenticate({ documentName, token }) {
        if (!relayTokenOpens(documentName, token)) {
          refused++;
          throw new Error('unauthorized');
        }
      },
      async onLoadDocument({ documentName, document }) {
        const kept = stored.get(documentName);
        if (kept) Y.applyUpdate(document, kept);
      },
      async onChange({ documentName, document }) {
        stored.set(documentName, Y.encodeStateAsUpdate(document));
      },
      async beforeHandleMessage({ document, update, connection }) {
        const usedBytes = Y.encodeStateAsUpdate(document).byteLength;
        if (quota !== undefined && usedBytes + update.byteLength > quota) {
          connection.sendStateless(
            JSON.stringify({
              coffer: 'refused',
              reason: 'room-quota',
              quotaBytes: quota,
              usedBytes,
            }),
          );
          throw Object.assign(new Error('room-quota'), {
            code: relayCloseCodes['room-quota'],
            reason: 'room-quota',
          });
        }
      },
      async beforeHandleAwareness() {
        awareness++;
      },
    });
    await next.listen();
    port = next.address.port;
    server = next;
  };
  await make();

  return {
    get url() {
      return `ws://127.0.0.1:${port}/relay`;
    },
    refusedTokens: () => refused,
    awarenessMessages: () => awareness,
    documentOf(room) {
      const kept = stored.get(room);
      if (!kept) return undefined;
      const doc = new Y.Doc();
      Y.applyUpdate(doc, kept);
      return doc;
    },
    setQuota(bytes) {
      quota = bytes;
    },
    async setUp(up) {
      if (up && !server) await make();
      if (!up && server) {
        const current = server;
        server = undefined;
        await current.destroy();
      }
    },
    async close() {
      await server?.destroy();
      server = undefined;
    },
  };
}

/**
 * `ws` for the provider in Node. A browser's WebSocket closed while connecting only logs;
 * `ws` emits an 'error' then, and the provider has removed its listeners by that time, which
 * Node would throw as uncaught. Listening to it here makes `ws` behave as the browser does.
 */
export class NodeWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on('error', () => {});
  }
}
