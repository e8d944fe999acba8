import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type CofferServer, signalingPath, startCofferServer } from '../../../src/server/server';

let root: string;
let server: CofferServer;
const transcript: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'coffer-server-'));
  await mkdir(join(root, 'assets'));
  await writeFile(
    join(root, 'index.html'),
    `<!doctype html><title>Coffer</title>${'<p>shell</p>'.repeat(100)}`,
  );
  await writeFile(
    join(root, 'assets', 'index-abc123.js'),
    `console.log(${JSON.stringify('x'.repeat(2000))});`,
  );
  await writeFile(join(root, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  // The hook Worker as Vite names it, its source map, and a name that only looks like it.
  await writeFile(join(root, 'assets', 'hook-worker-DhsH_-s9.js'), 'import("./ffi-x.js");');
  await writeFile(join(root, 'assets', 'hook-worker-DhsH_-s9.js.map'), '{}');
  await writeFile(join(root, 'assets', 'not-hook-worker-DhsH_-s9.js'), '1;');
  await writeFile(join(tmpdir(), 'coffer-outside.txt'), 'outside the root');
  server = await startCofferServer({
    root,
    port: 0,
    signaling: { onMessage: (m) => transcript.push(m) },
  });
});

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static files', () => {
  it('serves index.html with the strict CSP and frame-ancestors, revalidated on every load', async () => {
    const reply = await get('/');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(reply.headers['content-security-policy']);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(reply.headers['cache-control']).toBe('no-cache');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
  });

  it('lets browsers keep hashed assets for a year, and the service worker never', async () => {
    expect((await get('/assets/index-abc123.js')).headers['cache-control']).toBe(
      'public, max-age=31536000, immutable',
    );
    expect((await get('/sw.js')).headers['cache-control']).toBe('no-cache');
  });

  it('compresses text when the client accepts it, and answers 304 to a matching ETag', async () => {
    const compressed = await get('/assets/index-abc123.js', { 'accept-encoding': 'gzip, br' });
    expect(compressed.headers['content-encoding']).toBe('br');
    const gzip = await get('/assets/index-abc123.js', { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const etag = String(compressed.headers.etag);
    expect((await get('/assets/index-abc123.js', { 'if-none-match': etag })).status).toBe(304);
  });

  it("sends the hook Worker's script its own CSP, which allows WebAssembly, and no other file", async () => {
    const worker = await get('/assets/hook-worker-DhsH_-s9.js');
    expect(worker.status).toBe(200);
    expect(worker.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    const etag = String(worker.headers.etag);
    const revalidated = await get('/assets/hook-worker-DhsH_-s9.js', { 'if-none-match': etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers['content-security-policy']).toContain("'wasm-unsafe-eval'");
    for (const path of [
      '/',
      '/assets/index-abc123.js',
      '/assets/hook-worker-DhsH_-s9.js.map',
      '/assets/not-hook-worker-DhsH_-s9.js',
      '/vaults/deep-link',
    ]) {
      const reply = await get(path, { accept: 'text/html' });
      expect(reply.status, path).toBe(200);
      const csp = String(reply.headers['content-security-policy']);
      expect(csp, path).toContain("script-src 'self';");
      expect(csp, path).not.toContain('wasm-unsafe-eval');
    }
  });

  it('serves the app shell for deep links but 404 for missing files', async () => {
    const deep = await get('/vaults/abc', { accept: 'text/html' });
    expect(deep.status).toBe(200);
    expect(deep.body).toContain('<title>Coffer</title>');
    const missing = await get('/assets/missing.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-security-policy']).toBeDefined();
  });

  it('never serves a file outside the built directory', async () => {
    for (const path of [
      '/../coffer-outside.txt',
      '/%2e%2e/coffer-outside.txt',
      '/assets/..%2f..%2fcoffer-outside.txt',
    ]) {
      const reply = await get(path);
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('outside the root');
    }
  });

  it('refuses methods other than GET and HEAD, and malformed paths, with a clear reason', async () => {
    const post = await get('/', {}, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    const bad = await get('/%E0%A4%A');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('percent-encoding');
    const head = await get('/', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });
});

function connect(): Promise<{ socket: WebSocket; next: () => Promise<Record<string, unknown>> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}${signalingPath}`);
    const queue: Record<string, unknown>[] = [];
    const waiters: ((message: Record<string, unknown>) => void)[] = [];
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      const waiter = waiters.shift();
      if (waiter) waiter(message);
      else queue.push(message);
    });
    const next = () =>
      new Promise<Record<string, unknown>>((res) => {
        const queued = queue.shift();
        if (queued) res(queued);
        else waiters.push(res);
      });
    socket.on('open', () => resolve({ socket, next }));
    socket.on('error', reject);
  });
}

describe('signaling relay', () => {
  it('relays a publish to every subscriber of the topic, with the subscriber count', async () => {
    const a = await connect();
    const b = await connect();
    const outsider = await connect();
    let outsiderGotMessage = false;
    outsider.socket.on('message', () => {
      outsiderGotMessage = true;
    });
    a.socket.send(JSON.stringify({ type: 'subscribe', topics: ['room-1'] }));
    b.socket.send(JSON.stringify({ type: 'subscribe', topics: ['room-1'] }));
    outsider.socket.send(JSON.stringify({ type: 'subscribe', topics: ['room-2'] }));
    // A ping round trip proves the subscriptions above were processed.
    b.socket.send(JSON.stringify({ type: 'ping' }));
    expect(await b.next()).toEqual({ type: 'pong' });
    a.socket.send(JSON.stringify({ type: 'publish', topic: 'room-1', data: 'hello' }));
    expect(await b.next()).toEqual({ type: 'publish', topic: 'room-1', data: 'hello', clients: 2 });
    expect(await a.next()).toEqual({ type: 'publish', topic: 'room-1', data: 'hello', clients: 2 });
    outsider.socket.send(JSON.stringify({ type: 'ping' }));
    expect(await outsider.next()).toEqual({ type: 'pong' });
    expect(outsiderGotMessage).toBe(true); // only the pong
    b.socket.send(JSON.stringify({ type: 'unsubscribe', topics: ['room-1'] }));
    b.socket.send(JSON.stringify({ type: 'ping' }));
    expect(await b.next()).toEqual({ type: 'pong' });
    a.socket.send(JSON.stringify({ type: 'publish', topic: 'room-1', data: 'again' }));
    expect(await a.next()).toMatchObject({ data: 'again', clients: 1 });
    for (const c of [a, b, outsider]) c.socket.close();
    expect(transcript.some((m) => m.includes('"hello"'))).toBe(true);
  });

  it('ignores malformed messages and stays up', async () => {
    const a = await connect();
    for (const garbage of [
      'not json',
      '42',
      'null',
      '{"type":"subscribe","topics":"x"}',
      '{"type":"publish"}',
      '{"type":"nope"}',
    ]) {
      a.socket.send(garbage);
    }
    a.socket.send(JSON.stringify({ type: 'ping' }));
    expect(await a.next()).toEqual({ type: 'pong' });
    a.socket.close();
  });

  it('closes a connection that sends a message over the size limit', async () => {
    const a = await connect();
    const closed = new Promise<number>((resolve) => a.socket.on('close', (code) => resolve(code)));
    a.socket.send('x'.repeat(300 * 1024));
    expect(await closed).toBe(1009);
  });

  it('answers upgrades on other paths with 404', async () => {
    const error = await new Promise<Error>((resolve) => {
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}/elsewhere`);
      socket.on('error', resolve);
    });
    expect(error.message).toContain('404');
  });
});
