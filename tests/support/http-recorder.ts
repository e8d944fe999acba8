import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on loopback that records every request it gets, for integration tests
 * (Node and browser). CORS is on by default (any origin, any method and header, answered
 * preflights); paths under `/nocors/` answer without CORS headers, as an API that never heard
 * of this page would.
 *
 * Paths:
 *   /echo/...        200, JSON of what arrived: { method, path, query, headers, body }
 *   /json?value=…    200, `{"value": …}` (a JSON body the after hook reads)
 *   /status/NNN      that status, a short JSON body
 *   /big?mb=N        200, N MiB of text, streamed
 *   /slow?ms=N       answers after N ms (never, without ms)
 *   /redirect        302 to /echo/redirected
 *   /counter         GET: the counter; POST: adds one (for the turn-taking tests)
 *   /nocors/...      like /echo, without CORS headers
 */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface HttpRecorder {
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** Everything every request carried (URL, headers, body), as one text: for leak checks. */
  allReceivedText(): string;
  close(): Promise<void>;
}

function corsHeaders(request: IncomingMessage): Record<string, string> {
  return {
    'access-control-allow-origin': request.headers.origin ?? '*',
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS',
    'access-control-allow-headers': request.headers['access-control-request-headers'] ?? '*',
    'access-control-expose-headers': '*',
    'access-control-max-age': '0',
  };
}

export async function startHttpRecorder(): Promise<HttpRecorder> {
  const requests: RecordedRequest[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let counter = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  const handle = (request: IncomingMessage, response: ServerResponse, body: string) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const noCors = url.pathname.startsWith('/nocors/');
    const cors = noCors ? {} : corsHeaders(request);
    if (request.method === 'OPTIONS') {
      response.writeHead(noCors ? 404 : 204, cors).end();
      return;
    }
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(', ') : (value ?? ''),
        ]),
      ),
      body,
    };
    requests.push(recorded);
    const json = (status: number, value: unknown) =>
      response
        .writeHead(status, { ...cors, 'content-type': 'application/json' })
        .end(JSON.stringify(value));
    if (url.pathname === '/json') return json(200, { value: url.searchParams.get('value') });
    if (url.pathname.startsWith('/status/')) {
      const status = Number(url.pathname.slice('/status/'.length));
      return json(status, { error: `status ${status}` });
    }
    if (url.pathname === '/counter') {
      if (request.method === 'POST') counter += 1;
      return json(200, { counter });
    }
    if (url.pathname === '/redirect') {
      response.writeHead(302, { ...cors, location: '/echo/redirected' }).end();
      return;
    }
    if (url.pathname === '/slow') {
      const ms = Number(url.searchParams.get('ms') ?? Number.POSITIVE_INFINITY);
      if (Number.isFinite(ms)) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          json(200, { slow: ms });
        }, ms);
        timers.add(timer);
      }
      return;
    }
    if (url.pathname === '/big') {
      const mib = Number(url.searchParams.get('mb') ?? 20);
      response.writeHead(200, { ...cors, 'content-type': 'text/plain' });
      const block = 'x'.repeat(1024 * 64);
      let left = mib * 16;
      const write = () => {
        while (left > 0) {
          left -= 1;
          if (!response.write(block)) {
            response.once('drain', write);
            return;
          }
        }
        response.end();
      };
      response.on('error', () => undefined);
      write();
      return;
    }
    return json(200, recorded);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    allReceivedText: () =>
      requests
        .map(
          (r) =>
            `${r.method} ${r.path} ${JSON.stringify(r.query)} ${JSON.stringify(r.headers)} ${r.body}`,
        )
        .join('\n'),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
