/**
 * Starts one double: its state (state.ts), operations (operations.ts), request handling
 * (handle.ts) behind a Node HTTP server on loopback, and the handle tests drive it with.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handle, type PendingFault } from './handle';
import { createHandlers } from './operations';
import { createSecretStore, secretView } from './state';
import {
  type AwsDouble,
  type AwsDoubleCors,
  type AwsDoubleCredentials,
  type AwsDoubleOptions,
  type AwsDoubleRequest,
  defaultAwsCredentials,
} from './types';

/**
 * Starts the double on 127.0.0.1 at a free port.
 * @example
 * const aws = await startAwsDouble({ pageSizes: [7, 0] });
 * aws.putDirect('team/app', { KEY: 'value' });
 */
export async function startAwsDouble(options: AwsDoubleOptions = {}): Promise<AwsDouble> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const credentials = new Map<string, AwsDoubleCredentials>();
  for (const c of options.credentials ?? [defaultAwsCredentials]) credentials.set(c.accessKeyId, c);
  const baseNow = options.now ?? Date.now;
  let offset = 0;
  const now = () => baseNow() + offset;
  let pageSizes: readonly number[] = [100];
  let cors: AwsDoubleCors = options.cors ?? '*';
  const checkPageSizes = (sizes: readonly number[]) => {
    if (sizes.length === 0 || !sizes.some((n) => Number.isInteger(n) && n > 0)) {
      throw new Error('aws double: page sizes must let paging advance (one size above 0)');
    }
  };
  if (options.pageSizes !== undefined) {
    checkPageSizes(options.pageSizes);
    pageSizes = options.pageSizes;
  }
  const faults: PendingFault[] = [];
  const store = createSecretStore(region, accountId, now);
  const handlers = createHandlers(store, () => pageSizes);
  const requests: AwsDoubleRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const port = (server.address() as AddressInfo).port;
    handle(
      {
        store,
        handlers,
        credentials,
        requests,
        faults,
        timers,
        options,
        cors: () => cors,
      },
      req,
      res,
      port,
    ).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(JSON.stringify({ __type: 'InternalFailure', Message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    region,
    requests,
    now,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    addCredentials(c) {
      credentials.set(c.accessKeyId, c);
    },
    setCors(next) {
      cors = next;
    },
    setPageSizes(sizes) {
      checkPageSizes(sizes);
      pageSizes = sizes;
    },
    fail(fault) {
      faults.push({ fault, left: fault.count ?? 1 });
    },
    putDirect(name, values) {
      return store.putValue(name, { string: JSON.stringify(values) });
    },
    putRaw(name, value) {
      return 'secretString' in value
        ? store.putValue(name, { string: value.secretString })
        : store.putValue(name, { binary: Buffer.from(value.secretBinary) });
    },
    secret(name) {
      return secretView(store, name);
    },
    advanceClock(ms) {
      offset += ms;
      store.purge();
    },
  };
}
