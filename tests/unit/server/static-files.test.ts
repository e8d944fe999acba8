/**
 * The build's encodings (gzip and Brotli files beside each built file): written by
 * `writeEncodings`, served by the server only when they decode to the file's own bytes.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  brotliCompressSync,
  brotliDecompressSync,
  constants,
  gunzipSync,
  gzipSync,
} from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { type CofferServer, startCofferServer } from '../../../src/server/server';
import { writeEncodings } from '../../../src/server/static-files';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A built directory with an index.html and one script, each of content no other test has. */
async function builtDir(): Promise<{ root: string; script: string; body: Buffer }> {
  const root = await mkdtemp(join(tmpdir(), 'coffer-encodings-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'index.html'), `<!doctype html><title>${randomUUID()}</title>`);
  const body = Buffer.from(`console.log(${JSON.stringify(`${randomUUID()} `.repeat(100))});`);
  const script = join(root, 'assets', 'app-1a2b3c.js');
  await writeFile(script, body);
  return { root, script, body };
}

async function serve(root: string): Promise<CofferServer> {
  const server = await startCofferServer({ root, port: 0 });
  cleanups.push(() => server.close());
  return server;
}

function get(
  server: CofferServer,
  path: string,
  encoding: string,
): Promise<{
  status: number;
  encoding: string | undefined;
  type: string | undefined;
  body: Buffer;
}> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${server.url}${path}`,
      { headers: { 'accept-encoding': encoding } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            encoding: res.headers['content-encoding'],
            type: res.headers['content-type'],
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe("the build's encodings", () => {
  it('writes gzip and Brotli beside each compressible file, and they decode to it', async () => {
    const { root, script, body } = await builtDir();
    await writeFile(join(root, 'tiny.js'), '1;');
    await writeFile(join(root, 'icon.png'), Buffer.alloc(4096, 7));
    expect(await writeEncodings(root)).toBe(1);
    expect(brotliDecompressSync(await readFile(`${script}.br`))).toEqual(body);
    expect(gunzipSync(await readFile(`${script}.gz`))).toEqual(body);
    // Too small to gain, or already compressed: nothing is written beside them.
    await expect(readFile(join(root, 'tiny.js.gz'))).rejects.toThrow(/ENOENT/);
    await expect(readFile(join(root, 'icon.png.br'))).rejects.toThrow(/ENOENT/);
  });

  it('compresses WebAssembly, served with its own type for streaming compilation', async () => {
    const { root } = await builtDir();
    // Code-like bytes: a WebAssembly header, then a repeated function body.
    const wasm = Buffer.concat([
      Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]),
      Buffer.from(randomUUID().repeat(200)),
    ]);
    await writeFile(join(root, 'assets', 'engine-1a2b3c.wasm'), wasm);
    expect(await writeEncodings(root)).toBe(2);
    const server = await serve(root);
    const viaBrotli = await get(server, '/assets/engine-1a2b3c.wasm', 'br, gzip');
    expect(viaBrotli).toMatchObject({ status: 200, encoding: 'br', type: 'application/wasm' });
    expect(brotliDecompressSync(viaBrotli.body)).toEqual(wasm);
    expect(viaBrotli.body.length).toBeLessThan(wasm.length / 4);
    const plain = await get(server, '/assets/engine-1a2b3c.wasm', 'identity');
    expect(plain).toMatchObject({ status: 200, encoding: undefined });
    expect(plain.body).toEqual(wasm);
  });

  it('serves the encodings it finds beside a file, and never as files of their own', async () => {
    const { root, script, body } = await builtDir();
    // Not what the server would make (Brotli 11, gzip 9): served bytes show which were used.
    const brotli = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
    const gzip = gzipSync(body, { level: 1 });
    expect(brotli).not.toEqual(
      brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
    await writeFile(`${script}.br`, brotli);
    await writeFile(`${script}.gz`, gzip);
    const server = await serve(root);
    const viaBrotli = await get(server, '/assets/app-1a2b3c.js', 'br');
    expect(viaBrotli).toMatchObject({ status: 200, encoding: 'br' });
    expect(viaBrotli.body).toEqual(brotli);
    const viaGzip = await get(server, '/assets/app-1a2b3c.js', 'gzip');
    expect(viaGzip).toMatchObject({ status: 200, encoding: 'gzip' });
    expect(viaGzip.body).toEqual(gzip);
    expect((await get(server, '/assets/app-1a2b3c.js.br', 'identity')).status).toBe(404);
    expect((await get(server, '/assets/app-1a2b3c.js.gz', 'identity')).status).toBe(404);
  });

  it('makes its own encodings when the ones beside a file are stale or damaged', async () => {
    const { root, script, body } = await builtDir();
    // Left from another build: valid encodings of other bytes. And a cut-short one.
    await writeFile(`${script}.br`, brotliCompressSync(Buffer.from('console.log("old");')));
    await writeFile(`${script}.gz`, gzipSync(body).subarray(0, 20));
    const server = await serve(root);
    const viaBrotli = await get(server, '/assets/app-1a2b3c.js', 'br');
    expect(viaBrotli.encoding).toBe('br');
    expect(brotliDecompressSync(viaBrotli.body)).toEqual(body);
    const viaGzip = await get(server, '/assets/app-1a2b3c.js', 'gzip');
    expect(viaGzip.encoding).toBe('gzip');
    expect(gunzipSync(viaGzip.body)).toEqual(body);
    expect((await get(server, '/assets/app-1a2b3c.js', 'identity')).body).toEqual(body);
  });
});
