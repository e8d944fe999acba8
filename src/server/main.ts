/**
 * `npm start`: serves the built app, its signaling relay and its mailbox relay on localhost.
 * PORT picks the port (default 8080; the next free one is used when it is taken), HOST the
 * interface (default 127.0.0.1). The mailbox relay keeps rooms in data/relay.sqlite unless
 * RELAY_DB_FILE or DATABASE_URL says otherwise, shares them through REDIS_URL when set, and
 * caps each at RELAY_ROOM_QUOTA_MB (src/server/relay/config.ts).
 */
import { fileURLToPath } from 'node:url';
import { relayPath } from '../core/relay';
import { describeRelayOptions, relayOptionsFromEnv } from './relay/index';
import { PortInUseError, startCofferServer } from './server';

const root = fileURLToPath(new URL('../../dist', import.meta.url));
const preferredPort = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';

async function main(): Promise<void> {
  if (!Number.isInteger(preferredPort) || preferredPort < 0 || preferredPort > 65535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, got "${process.env.PORT}"`);
  }
  const relay = relayOptionsFromEnv(process.env);
  for (let port = preferredPort; port < preferredPort + 20; port++) {
    try {
      const server = await startCofferServer({
        root,
        port,
        host,
        relay,
        // The same Redis shares signaling topics between instances (signaling-bridge.ts).
        ...(relay.redisUrl ? { signaling: { redisUrl: relay.redisUrl } } : {}),
      });
      console.log(
        `Coffer is running at ${server.url}  (signaling relay at ${server.url.replace('http', 'ws')}/signal)`,
      );
      // Never the URLs as given: they may carry passwords.
      console.log(
        `Mailbox relay at ${server.url.replace('http', 'ws')}${relayPath}, storing rooms in ${describeRelayOptions(relay)}`,
      );
      console.log('Press Ctrl+C to stop.');
      const stop = () => void server.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return;
    } catch (error) {
      if (error instanceof PortInUseError && preferredPort !== 0) {
        console.warn(`Port ${port} is in use, trying ${port + 1}...`);
        continue;
      }
      throw error;
    }
  }
  throw new Error(
    `ports ${preferredPort} to ${preferredPort + 19} are all in use: set PORT to a free one`,
  );
}

main().catch((error: unknown) => {
  console.error(
    `Coffer could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
