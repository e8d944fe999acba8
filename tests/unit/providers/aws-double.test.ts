/**
 * The AWS double's own behaviours that neither the client nor the SDK oracle reach: CORS as
 * the real endpoint answers it, the signature check against tampering, the request log holding
 * header names only, faults, and the end of a recovery window.
 */
import { randomUUID } from 'node:crypto';
import { AwsClient } from 'aws4fetch';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AwsDouble, defaultAwsCredentials, startAwsDouble } from '../../support/aws-double';

let double: AwsDouble;
const signer = new AwsClient({
  accessKeyId: defaultAwsCredentials.accessKeyId,
  secretAccessKey: defaultAwsCredentials.secretAccessKey,
  service: 'secretsmanager',
  region: 'us-east-1',
  retries: 0,
});

async function signed(operation: string, body: Record<string, unknown>) {
  const request = await signer.sign(`${double.url}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `secretsmanager.${operation}`,
    },
    body: JSON.stringify(body),
  });
  return { headers: request.headers, body: JSON.stringify(body) };
}

async function call(operation: string, body: Record<string, unknown>, init: RequestInit = {}) {
  const request = await signed(operation, body);
  const response = await fetch(`${double.url}/`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
    ...init,
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

beforeAll(async () => {
  double = await startAwsDouble();
});
afterAll(() => double.close());

describe('aws double: CORS', () => {
  const preflight = (origin: string) =>
    fetch(`${double.url}/`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type,x-amz-date,x-amz-target',
      },
    });

  it('answers like the real endpoint: any origin, its header list, POST, exposed error headers', async () => {
    const response = await preflight('https://coffer.example');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('POST');
    const allowed = response.headers.get('access-control-allow-headers')?.split(',') ?? [];
    for (const header of [
      'authorization',
      'content-type',
      'x-amz-date',
      'x-amz-target',
      'x-amz-security-token',
    ]) {
      expect(allowed).toContain(header);
    }
    const actual = await call(
      'ListSecrets',
      {},
      { headers: { ...(await signed('ListSecrets', {})).headers } },
    );
    expect(actual.headers.get('access-control-allow-origin')).toBe('*');
    expect(actual.headers.get('access-control-expose-headers')).toContain('x-amzn-ErrorType');
  });

  it('can allow one origin only, or none', async () => {
    double.setCors({ origin: 'https://coffer.example' });
    try {
      expect(
        (await preflight('https://coffer.example')).headers.get('access-control-allow-origin'),
      ).toBe('https://coffer.example');
      expect(
        (await preflight('https://evil.example')).headers.get('access-control-allow-origin'),
      ).toBeNull();
      double.setCors('off');
      const off = await preflight('https://coffer.example');
      expect(off.headers.get('access-control-allow-origin')).toBeNull();
      const post = await call('ListSecrets', {});
      expect(post.status).toBe(200);
      expect(post.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      double.setCors('*');
    }
  });
});

describe('aws double: signatures and the request log', () => {
  it('refuses a body or a signed header changed after signing', async () => {
    const request = await signed('ListSecrets', { MaxResults: 10 });
    const body = await fetch(`${double.url}/`, {
      method: 'POST',
      headers: request.headers,
      body: '{"MaxResults":11}',
    });
    expect(body.status).toBe(400);
    expect(body.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    const headers = new Headers(request.headers);
    headers.set('X-Amz-Target', 'secretsmanager.DescribeSecret');
    const target = await fetch(`${double.url}/`, { method: 'POST', headers, body: request.body });
    expect(((await target.json()) as { __type: string }).__type).toBe('InvalidSignatureException');
  });

  it('refuses a request without a signature, and an unknown operation', async () => {
    const response = await fetch(`${double.url}/`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'secretsmanager.ListSecrets',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toBe(
      'MissingAuthenticationTokenException',
    );
    const unknown = await call('RotateSecret', { SecretId: 'x' });
    expect(unknown.json.__type).toBe('UnknownOperationException');
  });

  it('logs operations and header names, never a header value', async () => {
    const before = double.requests.length;
    await call('ListSecrets', {});
    const entries = double.requests.slice(before);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      operation: 'ListSecrets',
      status: 200,
      accessKeyId: defaultAwsCredentials.accessKeyId,
    });
    expect(entries[0]?.headerNames).toContain('authorization');
    const text = JSON.stringify(double.requests);
    expect(text).not.toContain('AWS4-HMAC-SHA256');
    expect(text).not.toContain(defaultAwsCredentials.secretAccessKey);
  });

  it('answers InvalidNextTokenException to a token it did not issue', async () => {
    const answer = await call('ListSecrets', { NextToken: 'garbage' });
    expect(answer.status).toBe(400);
    expect(answer.json.__type).toBe('InvalidNextTokenException');
  });
});

describe('aws double: faults and time', () => {
  it('a fault scoped to one operation leaves the others alone, and counts down', async () => {
    double.fail({ kind: 'throttle', operation: 'GetSecretValue', count: 2 });
    expect((await call('ListSecrets', {})).status).toBe(200);
    expect((await call('GetSecretValue', { SecretId: 'x' })).json.__type).toBe(
      'ThrottlingException',
    );
    expect((await call('GetSecretValue', { SecretId: 'x' })).json.__type).toBe(
      'ThrottlingException',
    );
    expect((await call('GetSecretValue', { SecretId: 'x' })).json.__type).toBe(
      'ResourceNotFoundException',
    );
  });

  it('a delayed request is carried out at once and answered late', async () => {
    const name = `delayed/${randomUUID()}`;
    double.fail({ kind: 'delay', ms: 2_000 });
    const controller = new AbortController();
    const answered = call(
      'CreateSecret',
      { Name: name, SecretString: '{}' },
      { signal: controller.signal },
    );
    // The secret exists while the answer is still held back; then the caller gives up.
    await vi.waitFor(() => expect(double.secret(name)).toBeDefined());
    controller.abort();
    await expect(answered).rejects.toThrow();
    expect(double.requests.at(-1)).toMatchObject({ operation: 'CreateSecret', status: 0 });
  });

  it('purges a secret when its recovery window ends', async () => {
    const name = `window/${randomUUID()}`;
    double.putDirect(name, { A: 1 });
    const deleted = await call('DeleteSecret', { SecretId: name, RecoveryWindowInDays: 7 });
    expect(typeof deleted.json.DeletionDate).toBe('number');
    double.advanceClock(7 * 86_400_000 - 1000);
    expect(double.secret(name)?.deletedDate).toBeDefined();
    double.advanceClock(2000);
    try {
      expect(double.secret(name)).toBeUndefined();
    } finally {
      double.advanceClock(-(7 * 86_400_000 + 1000));
    }
    expect((await call('DescribeSecret', { SecretId: name })).json.__type).toBe(
      'ResourceNotFoundException',
    );
  });

  it('refuses page sizes that would never advance', () => {
    expect(() => double.setPageSizes([0])).toThrow();
    expect(() => double.setPageSizes([])).toThrow();
  });
});
