import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { relayPath } from '../core/relay';
import { createRelay, type Relay, type RelayOptions, type RelayStats } from './relay/index';
import { createSignalingRelay, type SignalingOptions, type SignalingRelay } from './signaling';
import { loadStaticFiles, securityHeaders, serveStatic } from './static-files';

/** The path on the app's own origin where y-webrtc clients reach the signaling relay. */
export const signalingPath = '/signal';

export interface CofferServerOptions {
  /** Directory of the built app (`dist/`). */
  readonly root: string;
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** Interface to bind. Defaults to loopback: Coffer is served to this machine only. */
  readonly host?: string;
  readonly signaling?: SignalingOptions;
  /** The mailbox relay at `relayPath` (src/server/relay); in memory when absent. */
  readonly relay?: RelayOptions;
}

export interface CofferServer {
  /** Base URL, for example `http://localhost:8080`. */
  readonly url: string;
  readonly port: number;
  readonly relay: SignalingRelay;
  /** The mailbox relay (Hocuspocus) at `relayPath`. */
  readonly mailbox: Relay;
  relayStats(): RelayStats;
  close(): Promise<void>;
}

/** Thrown when the chosen port is taken, so the caller can say which one and what to do. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(readonly port: number) {
    super(`port ${port} is already in use`);
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Serves the built app and the signaling relay on one origin. */
export async function startCofferServer(options: CofferServerOptions): Promise<CofferServer> {
  const files = await loadStaticFiles(options.root);
  if (!files.has('/index.html')) {
    throw new Error(`no index.html in ${options.root}: build the app first (npm run build)`);
  }
  // The mailbox first: a storage it cannot open throws before anything else is running.
  const mailbox = createRelay(options.relay ?? { storage: { kind: 'memory' } });
  const relay = createSignalingRelay(options.signaling);
  try {
    await mailbox.ready;
  } catch (error) {
    await Promise.all([relay.close(), mailbox.close()]);
    throw error;
  }
  const server = createServer((request, response) => serveStatic(files, request, response));
  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === relayPath) {
      mailbox.handleUpgrade(request, socket, head);
      return;
    }
    if (path !== signalingPath) {
      socket.end(
        `HTTP/1.1 404 Not Found\r\n${Object.entries(securityHeaders)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\r\n')}\r\n\r\n`,
      );
      return;
    }
    relay.handleUpgrade(request, socket, head);
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port, host).catch(async (error: unknown) => {
    await Promise.all([relay.close(), mailbox.close()]);
    throw error;
  });
  const hostname =
    host === '127.0.0.1' || host === '::1' || host === '0.0.0.0' ? 'localhost' : host;
  return {
    url: `http://${hostname}:${port}`,
    port,
    relay,
    mailbox,
    relayStats: () => mailbox.stats(),
    async close() {
      await Promise.all([relay.close(), mailbox.close()]);
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
