/**
 * The mailbox relay (docs/sync.md, "The mailbox relay"; docs/deploy.md): an always-on
 * Hocuspocus server where a vault's sealed envelopes wait for devices that are closed now.
 *
 * Contract:
 * - One room per vault, named and opened as src/core/relay/index.ts says; a connection
 *   whose token does not open its room is refused (close 4401) without learning whether the
 *   room exists. Awareness is dropped, never stored or forwarded.
 * - A room's document holds only byte values in its `envelopes` map (and the sealed key-epoch
 *   records of its `epochs` map, src/core/sync/epoch-keys.ts); a change that writes
 *   anything else is refused ('not-a-mailbox'), and one that would take the room's stored
 *   size over its quota is refused ('room-quota') with the numbers, before it is applied:
 *   nothing already stored is lost.
 * - Storage: `{ kind: 'sqlite', file }` by default (`npm start`: @hocuspocus/extension-sqlite),
 *   `{ kind: 'postgres', url }` with DATABASE_URL (@hocuspocus/extension-database over `pg`),
 *   `{ kind: 'memory' }` for tests. With `redisUrl` (REDIS_URL) several instances share rooms
 *   through @hocuspocus/extension-redis.
 * - A refusal is a stateless message `{"coffer":"refused","reason":...}` (RelayRefusal, plus a
 *   `detail` for not-a-mailbox), then a WebSocket close with `relayCloseCodes[reason]`.
 * - Each connection is pinged with Hocuspocus' one-byte ping (`keepaliveMs`) and its pong is
 *   taken here: devices send no awareness, the only traffic that otherwise keeps a quiet
 *   connection open.
 * - `relayOptionsFromEnv` reads REDIS_URL, DATABASE_URL, RELAY_DB_FILE and RELAY_ROOM_QUOTA_MB
 *   and says exactly what is wrong with a bad value (RelayConfigError) without quoting a URL;
 *   `describeRelayOptions` says where rooms are kept, without credentials. A storage that
 *   cannot be opened is a RelayStorageError (thrown by createRelay, or through `ready`).
 */
export {
  defaultRelayDbFile,
  describeRelayOptions,
  RelayConfigError,
  redactUrl,
  relayOptionsFromEnv,
} from './config';
export { mailboxRoots } from './mailbox';
export { createRelay } from './relay';
export { RelayStorageError } from './storage';

export type { Relay, RelayOptions, RelayStats, RelayStorage } from './types';
