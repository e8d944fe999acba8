import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import {
  brotliCompress as brotliCompressCallback,
  gzip as gzipCallback,
  constants as zlibConstants,
} from 'node:zlib';
import { contentSecurityPolicyFor, contentSecurityPolicyHeader } from './csp';

/** A file's compressed bodies, once made (undefined: not worth compressing, or not yet). */
interface Encodings {
  gzip?: Buffer;
  brotli?: Buffer;
  /** Settles when both are made (or failed: the file is then sent as it is). */
  readonly done: Promise<void>;
  settled: boolean;
}

/**
 * A file of the built app, held in memory with its gzip and Brotli encodings. These are made
 * in the background (zlib's thread pool, so requests are not held up) from the moment the files
 * are loaded, and shared by every server of the process that serves the same bytes: made in
 * the foreground at start-up, for the whole build and its source maps with Brotli 11, they took
 * seconds alone and close to a minute on a busy machine. A request that arrives before its
 * file's encodings waits for them, so responses stay byte-stable.
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

function encodingsOf(body: Buffer, hash: string, ext: string): Encodings {
  const known = encodingsByHash.get(hash);
  if (known) return known;
  const compress = (run: (done: (error: Error | null, out: Buffer) => void) => void) =>
    new Promise<Buffer | undefined>((resolve) =>
      run((error, out) => resolve(error ? undefined : out)),
    );
  const gzip = compress((done) => gzipCallback(body, { level: 9 }, done));
  // Source maps are fetched by developer tools only: gzip is enough for them.
  const brotli =
    ext === '.map'
      ? Promise.resolve(undefined)
      : compress((done) =>
          brotliCompressCallback(
            body,
            { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } },
            done,
          ),
        );
  const encodings: Encodings = {
    settled: false,
    done: Promise.all([gzip, brotli]).then(([gzipped, brotlied]) => {
      if (gzipped) encodings.gzip = gzipped;
      if (brotlied) encodings.brotli = brotlied;
      encodings.settled = true;
    }),
  };
  encodingsByHash.set(hash, encodings);
  return encodings;
}

/**
 * Loads a built directory into memory and starts compressing what is worth it (see StaticFile).
 */
export async function loadStaticFiles(root: string): Promise<Map<string, StaticFile>> {
  // Every file is read before any is compressed: reads and compression share zlib's and the
  // file system's thread pool, and the server should not wait behind its own compression.
  const paths = await walk(root);
  const bodies = await Promise.all(paths.map((full) => readFile(full)));
  const files = new Map<string, StaticFile>();
  paths.forEach((full, index) => {
    const body = bodies[index]!;
    const urlPath = `/${relative(root, full).split(sep).join('/')}`;
    const ext = extname(full).toLowerCase();
    const worthCompressing = compressible.has(ext) && body.length > 512;
    const hash = createHash('sha256').update(body).digest('base64url');
    files.set(urlPath, {
      body,
      encodings: worthCompressing ? encodingsOf(body, hash, ext) : undefined,
      contentType: contentTypes[ext] ?? 'application/octet-stream',
      cacheControl: cacheControlFor(urlPath),
      etag: `"${hash.slice(0, 22)}"`,
      contentSecurityPolicy: contentSecurityPolicyFor(urlPath),
    });
  });
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
