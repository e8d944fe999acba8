/**
 * Node's HTTP parser (llhttp) knows a fixed set of methods and answers 400 to Vault's `LIST`
 * before any handler runs: the same thing proxies do to it, and why the client sends
 * GET ?list=true. To still model Vault, which accepts LIST (api-docs/index, "LIST"), the double
 * listens through this small TCP relay: a request line `LIST <path>` becomes `GET <path>` with
 * an `X-Double-Verb: LIST` header, everything else passes untouched. (Pipelined requests are
 * rewritten only when a request starts a chunk, which is how clients send them here.)
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export const VERB_HEADER = 'x-double-verb';

export interface Relay {
  readonly port: number;
  close(): Promise<void>;
}

function rewrite(chunk: Buffer): Buffer {
  if (chunk.length < 5 || chunk.toString('latin1', 0, 5) !== 'LIST ') return chunk;
  const text = chunk.toString('latin1');
  const end = text.indexOf('\r\n');
  if (end === -1) return chunk;
  return Buffer.from(
    `GET ${text.slice(5, end)}\r\nX-Double-Verb: LIST${text.slice(end)}`,
    'latin1',
  );
}

/** Listens on 127.0.0.1:0 and relays each connection to `target` on 127.0.0.1. */
export async function startListRelay(target: number): Promise<Relay> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (chunk: Buffer) => upstream.write(rewrite(chunk)));
    client.on('end', () => upstream.end());
    upstream.pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
