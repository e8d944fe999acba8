/**
 * Vault's CORS wrapper (hashicorp/vault http/cors.go; api-docs/system/config-cors), which runs
 * before any handler: CORS off or no Origin header, nothing is added; an origin outside
 * allowed_origins gets 403 "origin not allowed" with no Access-Control-Allow-Origin; a preflight
 * for a method outside the list gets 405; otherwise ACAO echoes the origin, and a preflight is
 * answered here with Vault's methods, the standard headers plus the configured ones, max-age 300.
 * Vault does not check Access-Control-Request-Headers itself: the browser compares them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { error, type Reply } from './envelope';
import { type CorsConfig, STD_ALLOWED_HEADERS } from './state';

/** http/cors.go allowedMethods (no PATCH: KV v2 patch cannot be used cross-origin). */
export const CORS_METHODS = ['DELETE', 'GET', 'OPTIONS', 'POST', 'PUT', 'LIST'];

/** Sets the CORS headers; returns a reply when the wrapper answers itself. */
export function applyCors(
  config: CorsConfig,
  req: IncomingMessage,
  res: ServerResponse,
): Reply | 'preflight' | undefined {
  const origin = req.headers.origin;
  if (!config.enabled || origin === undefined) return undefined;
  const allowed = config.allowedOrigins.includes('*') || config.allowedOrigins.includes(origin);
  if (!allowed) return error(403, 'origin not allowed');
  const asked = req.headers['access-control-request-method'];
  if (req.method === 'OPTIONS' && (typeof asked !== 'string' || !CORS_METHODS.includes(asked))) {
    return { status: 405 };
  }
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  if (req.method !== 'OPTIONS') return undefined;
  res.setHeader('Access-Control-Allow-Methods', CORS_METHODS.join(','));
  res.setHeader(
    'Access-Control-Allow-Headers',
    [...STD_ALLOWED_HEADERS, ...config.allowedHeaders].join(','),
  );
  res.setHeader('Access-Control-Max-Age', '300');
  return 'preflight';
}
