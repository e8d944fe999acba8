/**
 * SigV4 as the service checks it ("Elements of an AWS API request signature", CommonErrors):
 * scope shape, access key, session token, clock, scope date, region, service, then the
 * signature recomputed with @smithy/signature-v4 (independent of the client's aws4fetch).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsFault } from './state';
import type { AwsDoubleCredentials } from './types';

/** "Elements of an AWS API request signature": requests older or newer than 15 minutes fail. */
const MAX_SKEW_MS = 15 * 60_000;

function amzDateToMs(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return undefined;
  return Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
  );
}

function toAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export interface SignatureContext {
  readonly credentials: ReadonlyMap<string, AwsDoubleCredentials>;
  readonly now: () => number;
  readonly region: string;
}

/** CommonErrors and SigV4: who is calling, or the AwsFault that says why not. */
export async function authenticate(
  req: IncomingMessage,
  body: string,
  port: number,
  keys: SignatureContext,
): Promise<AwsDoubleCredentials> {
  const { credentials, now, region } = keys;
  const header = req.headers.authorization;
  if (header === undefined) {
    throw new AwsFault('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(
      header,
    );
  if (m === null) {
    throw new AwsFault(
      'IncompleteSignatureException',
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.",
    );
  }
  const [
    ,
    keyId = '',
    scopeDate = '',
    scopeRegion = '',
    scopeService = '',
    signedHeaders = '',
    signature = '',
  ] = m;
  const key = credentials.get(keyId);
  if (key === undefined) {
    throw new AwsFault(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  }
  const token = req.headers['x-amz-security-token'];
  if ((key.sessionToken ?? undefined) !== (typeof token === 'string' ? token : undefined)) {
    throw new AwsFault(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  }
  if (key.expiresAt !== undefined && key.expiresAt <= now()) {
    throw new AwsFault(
      'ExpiredTokenException',
      'The security token included in the request is expired',
    );
  }
  const dateHeader = req.headers['x-amz-date'];
  const signedAt = typeof dateHeader === 'string' ? amzDateToMs(dateHeader) : undefined;
  if (signedAt === undefined || typeof dateHeader !== 'string') {
    throw new AwsFault(
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  const t = now();
  if (signedAt < t - MAX_SKEW_MS) {
    throw new AwsFault(
      'InvalidSignatureException',
      `Signature expired: ${dateHeader} is now earlier than ${toAmzDate(t - MAX_SKEW_MS)} (${toAmzDate(t)} - 15 min.)`,
    );
  }
  if (signedAt > t + MAX_SKEW_MS) {
    throw new AwsFault(
      'InvalidSignatureException',
      `Signature not yet current: ${dateHeader} is still later than ${toAmzDate(t + MAX_SKEW_MS)} (${toAmzDate(t)} + 15 min.)`,
    );
  }
  if (scopeDate !== dateHeader.slice(0, 8)) {
    throw new AwsFault(
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${dateHeader.slice(0, 8)}', from '${dateHeader}'.`,
    );
  }
  if (scopeRegion !== region) {
    throw new AwsFault(
      'InvalidSignatureException',
      'Credential should be scoped to a valid region. ',
    );
  }
  if (scopeService !== 'secretsmanager') {
    throw new AwsFault(
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'secretsmanager'. ",
    );
  }
  const names = signedHeaders.split(';');
  if (!names.includes('host')) {
    throw new AwsFault(
      'InvalidSignatureException',
      "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = req.headers[name];
    if (value === undefined) {
      throw new AwsFault(
        'InvalidSignatureException',
        `Signed header ${name} is missing from the request.`,
      );
    }
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // A declared payload hash must be the body's, or a changed body would pass.
  const declared = headers['x-amz-content-sha256'];
  if (
    declared !== undefined &&
    declared !== createHash('sha256').update(body, 'utf8').digest('hex')
  ) {
    throw new AwsFault(
      'InvalidSignatureException',
      'The provided x-amz-content-sha256 header does not match what was computed.',
    );
  }
  // Recompute with an independent SigV4 implementation. The session token is passed only
  // when the client signed it, so smithy signs exactly the headers the client named.
  const signer = new SignatureV4({
    service: 'secretsmanager',
    region,
    credentials: {
      accessKeyId: key.accessKeyId,
      secretAccessKey: key.secretAccessKey,
      ...(key.sessionToken !== undefined && names.includes('x-amz-security-token')
        ? { sessionToken: key.sessionToken }
        : {}),
    },
    sha256: Sha256,
    applyChecksum: false,
    uriEscapePath: true,
  });
  const signed = await signer.sign(
    {
      method: req.method ?? 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port,
      path: (req.url ?? '/').split('?')[0] ?? '/',
      query: Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams),
      headers,
      body,
    },
    { signingDate: new Date(signedAt), signingRegion: region, signingService: 'secretsmanager' },
  );
  const expected = String(signed.headers.authorization ?? '');
  const expectedSignature = /Signature=([0-9a-f]{64})/.exec(expected)?.[1];
  const expectedHeaders = /SignedHeaders=([^,]+)/.exec(expected)?.[1];
  if (expectedSignature !== signature || expectedHeaders !== signedHeaders) {
    throw new AwsFault(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return key;
}
