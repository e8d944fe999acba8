import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import {
  brotliCompress as brotliCompressCallback,
  brotliDecompress as brotliDecompressCallback,
  gunzip as gunzipCallback,
  gzip as gzipCallback,
  constants as zlibConstants,
} from 'node:zlib';
import { contentSecurityPolicyFor, contentSecurityPolicyHeader } from './csp.ts';

/** A file's compressed bodies, once made (undefined: not worth compressing, or not yet). */
interface Encodings {
  gzip?: Buffer;
  brotli?: Buffer;
  /** Settles when both are made (or failed: the file is then sent as it is). */
  readonly done: Promise<void>;
  settled: boolean;
}

/**
 * A file of the built app, held in memory with its gzip and Brotli encodings. The build writes
 * them beside each file (`writeEncodings`, run by vite.config.ts), and a server takes them once
 * they decode to the file's bytes. Where they are missing or stale, they are made in the
 * background (zlib's thread pool, so requests are not held up) and shared by every server of
 * the process that serves the same bytes: the whole build and its source maps with Brotli 11
 * cost about 6 s of CPU, paid by every new server process before the build wrote them. A
 * request that arrives before its file's encodings waits for them, so responses stay
 * byte-stable.
 */
interface StaticFile {
  readonly body: Buffer;
  readonly encodings: Encodings | undefined;
  readonly contentType: string;
  readonly cacheControl: string;
  readonly etag: string;
  /** The page's policy, or the hook Worker's own for its script (csp.ts). */
  readonly contentSecurityPolicy: string;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const compressible = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.webmanifest',
  '.svg',
  '.txt',
  '.map',
  // The hook engine's QuickJS WebAssembly: 491 KiB, 194 KiB in Brotli. Browsers compile it as it
  // streams in, whatever the content encoding.
  '.wasm',
]);

/** Headers every response carries, whatever it is. */
export const securityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': contentSecurityPolicyHeader,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()',
};

/**
 * Hashed build output never changes, so browsers may keep it for a year; everything else
 * (index.html, the service worker, the manifest) must be revalidated so updates are seen.
 */
function cacheControlFor(path: string): string {
  if (path.startsWith('/assets/')) return 'public, max-age=31536000, immutable';
  return 'no-cache';
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = join(dir, entry.name);
      return entry.isDirectory() ? walk(full) : Promise.resolve([full]);
    }),
  );
  return nested.flat();
}

/** Encodings by the SHA-256 of the bytes, for every server of this process. */
const encodingsByHash = new Map<string, Encodings>();

/** The suffixes of the encodings the build writes beside a file. */
const gzipSuffix = '.gz';
const brotliSuffix = '.br';

function worthCompressing(ext: string, body: Buffer): boolean {
  return compressible.has(ext) && body.length > 512;
}

/** Runs a zlib call in its thread pool; undefined if it fails. */
function zlibRun(
  run: (done: (error: Error | null, out: Buffer) => void) => void,
): Promise<Buffer | undefined> {
  return new Promise((resolve) => run((error, out) => resolve(error ? undefined : out)));
}

/** A file's gzip and Brotli encodings, made now. */
function compress(body: Buffer, ext: string): Promise<[Buffer | undefined, Buffer | undefined]> {
  const gzip = zlibRun((done) => gzipCallback(body, { level: 9 }, done));
  // Source maps are fetched by developer tools only: gzip is enough for them.
  const brotli =
    ext === '.map'
      ? Promise.resolve(undefined)
      : zlibRun((done) =>
          brotliCompressCallback(
            body,
            { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } },
            done,
          ),
        );
  return Promise.all([gzip, brotli]);
}

/**
 * The build's encodings of `body` if they decode to exactly its bytes (a file left from another
 * build, or cut short, does not), else undefined.
 */
async function verifiedEncodings(
  body: Buffer,
  ext: string,
  written: Written,
): Promise<[Buffer, Buffer | undefined] | undefined> {
  if (!written.gzip || (ext !== '.map' && !written.brotli)) return undefined;
  const { gzip, brotli } = written;
  const [gunzipped, unbrotlied] = await Promise.all([
    zlibRun((done) => gunzipCallback(gzip, done)),
    brotli ? zlibRun((done) => brotliDecompressCallback(brotli, done)) : undefined,
  ]);
  if (!gunzipped?.equals(body)) return undefined;
  if (brotli && !unbrotlied?.equals(body)) return undefined;
  return [gzip, brotli];
}

/** The encodings the build wrote beside one file, if any. */
interface Written {
  readonly gzip: Buffer | undefined;
  readonly brotli: Buffer | undefined;
}

function encodingsOf(body: Buffer, hash: string, ext: string, written: Written): Encodings {
  const known = encodingsByHash.get(hash);
  if (known) return known;
  const encodings: Encodings = {
    settled: false,
    done: verifiedEncodings(body, ext, written)
      .then((verified) => verified ?? compress(body, ext))
      .then(([gzipped, brotlied]) => {
        if (gzipped) encodings.gzip = gzipped;
        if (brotlied) encodings.brotli = brotlied;
        encodings.settled = true;
      }),
  };
  encodingsByHash.set(hash, encodings);
  return encodings;
}

/**
 * Writes every compressible file's gzip and Brotli encodings beside it (`app.js.gz`,
 * `app.js.br`), for servers to load instead of making them. Resolves with how many files it
 * encoded. The build runs it last, after the service worker is written.
 */
export async function writeEncodings(root: string): Promise<number> {
  const paths = (await walk(root)).filter(
    (full) => !full.endsWith(gzipSuffix) && !full.endsWith(brotliSuffix),
  );
  let encoded = 0;
  await Promise.all(
    paths.map(async (full) => {
      const ext = extname(full).toLowerCase();
      const body = await readFile(full);
      if (!worthCompressing(ext, body)) return;
      const [gzipped, brotlied] = await compress(body, ext);
      if (gzipped) await writeFile(`${full}${gzipSuffix}`, gzipped);
      if (brotlied) await writeFile(`${full}${brotliSuffix}`, brotlied);
      encoded++;
    }),
  );
  return encoded;
}

/**
 * Loads a built directory into memory and starts compressing what is worth it (see StaticFile).
 */
export async function loadStaticFiles(root: string): Promise<Map<string, StaticFile>> {
  // Every file is read before any is compressed: reads and compression share zlib's and the
  // file system's thread pool, and the server should not wait behind its own compression.
  const paths = await walk(root);
  const bodies = await Promise.all(paths.map((full) => readFile(full)));
  const byPath = new Map(paths.map((full, index) => [full, bodies[index]!]));
  // The build's encodings are not files of the app: they are served as encodings only.
  const isEncodingOfAnother = (full: string) =>
    (full.endsWith(gzipSuffix) && byPath.has(full.slice(0, -gzipSuffix.length))) ||
    (full.endsWith(brotliSuffix) && byPath.has(full.slice(0, -brotliSuffix.length)));
  const files = new Map<string, StaticFile>();
  for (const [full, body] of byPath) {
    if (isEncodingOfAnother(full)) continue;
    const urlPath = `/${relative(root, full).split(sep).join('/')}`;
    const ext = extname(full).toLowerCase();
    const hash = createHash('sha256').update(body).digest('base64url');
    const written = {
      gzip: byPath.get(`${full}${gzipSuffix}`),
      brotli: byPath.get(`${full}${brotliSuffix}`),
    };
    files.set(urlPath, {
      body,
      encodings: worthCompressing(ext, body) ? encodingsOf(body, hash, ext, written) : undefined,
      contentType: contentTypes[ext] ?? 'application/octet-stream',
      cacheControl: cacheControlFor(urlPath),
      etag: `"${hash.slice(0, 22)}"`,
      contentSecurityPolicy: contentSecurityPolicyFor(urlPath),
    });
  }
  return files;
}

function acceptsEncoding(request: IncomingMessage, encoding: string): boolean {
  const header = request.headers['accept-encoding'];
  return (
    typeof header === 'string' &&
    header.split(',').some((part) => part.trim().split(';')[0] === encoding)
  );
}

function looksLikeNavigation(request: IncomingMessage, path: string): boolean {
  const accept = request.headers.accept ?? '';
  return extname(path) === '' && accept.includes('text/html');
}

/**
 * Resolves a request path to a file. Paths are looked up in the in-memory map only, so `..`,
 * encoded separators and symlinks can never reach outside the built directory.
 */
function resolve(
  files: Map<string, StaticFile>,
  request: IncomingMessage,
  path: string,
): StaticFile | undefined {
  if (path.endsWith('/')) return files.get(`${path}index.html`);
  const exact = files.get(path);
  if (exact) return exact;
  // A deep link into the single-page app gets the app shell, as the service worker does offline.
  if (looksLikeNavigation(request, path)) return files.get('/index.html');
  return undefined;
}

function sendPlain(
  response: ServerResponse,
  status: number,
  message: string,
  extra: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...securityHeaders,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    ...extra,
  });
  response.end(`${message}\n`);
}

/** Serves one request from the loaded files. */
export function serveStatic(
  files: Map<string, StaticFile>,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendPlain(response, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
    return;
  }
  let path: string;
  try {
    path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
  } catch {
    sendPlain(response, 400, 'Bad request: the path is not valid percent-encoding');
    return;
  }
  const file = resolve(files, request, path);
  if (!file) {
    sendPlain(response, 404, 'Not found');
    return;
  }
  const headers: Record<string, string> = {
    ...securityHeaders,
    'Content-Security-Policy': file.contentSecurityPolicy,
    'Content-Type': file.contentType,
    'Cache-Control': file.cacheControl,
    ETag: file.etag,
    Vary: 'Accept-Encoding',
  };
  if (request.headers['if-none-match'] === file.etag) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  const encodings = file.encodings;
  if (encodings && !encodings.settled) {
    void encodings.done.then(() => serveStatic(files, request, response));
    return;
  }
  let body = file.body;
  if (encodings?.brotli && acceptsEncoding(request, 'br')) {
    body = encodings.brotli;
    headers['Content-Encoding'] = 'br';
  } else if (encodings?.gzip && acceptsEncoding(request, 'gzip')) {
    body = encodings.gzip;
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Length'] = String(body.length);
  response.writeHead(200, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}
