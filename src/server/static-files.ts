import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import { contentSecurityPolicyHeader } from './csp';

/**
 * A file of the built app, held in memory. Its gzip and Brotli encodings are made the first time
 * a client asks for them and kept: compressing the whole build at start-up (source maps too,
 * Brotli at quality 11) took seconds alone and close to a minute on a busy machine, for files
 * most clients never fetch.
 */
interface StaticFile {
  readonly body: Buffer;
  /** The encoded body, or undefined for a file not worth compressing. */
  gzip(): Buffer | undefined;
  brotli(): Buffer | undefined;
  readonly contentType: string;
  readonly cacheControl: string;
  readonly etag: string;
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

/** Compresses once, on first use, and keeps the result (responses stay byte-stable). */
function once(make: () => Buffer): () => Buffer {
  let made: Buffer | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

/**
 * Loads a built directory into memory. Each file is compressed once, when first asked for in
 * that encoding, rather than per request.
 */
export async function loadStaticFiles(root: string): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  for (const full of await walk(root)) {
    const urlPath = `/${relative(root, full).split(sep).join('/')}`;
    const ext = extname(full).toLowerCase();
    const body = await readFile(full);
    const worthCompressing = compressible.has(ext) && body.length > 512;
    files.set(urlPath, {
      body,
      gzip: worthCompressing ? once(() => gzipSync(body, { level: 9 })) : () => undefined,
      brotli: worthCompressing
        ? once(() =>
            brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }),
          )
        : () => undefined,
      contentType: contentTypes[ext] ?? 'application/octet-stream',
      cacheControl: cacheControlFor(urlPath),
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
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
  let body = file.body;
  const brotli = acceptsEncoding(request, 'br') ? file.brotli() : undefined;
  const gzip = brotli === undefined && acceptsEncoding(request, 'gzip') ? file.gzip() : undefined;
  if (brotli) {
    body = brotli;
    headers['Content-Encoding'] = 'br';
  } else if (gzip) {
    body = gzip;
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Length'] = String(body.length);
  response.writeHead(200, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}
