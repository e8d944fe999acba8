/**
 * One HTTP request to the double: CORS and its preflight, the fault queue (decided after the
 * preflight and before authentication), authentication, the key's allowed actions, the
 * operation, and the answer in the AWS JSON 1.1 shape (errors with `__type` and
 * x-amzn-ErrorType). Every request is recorded by header names only, never values.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { corsHeaders } from './cors';
import type { Handlers } from './operations';
import { authenticate } from './signature';
import { AwsFault, type SecretStore } from './state';
import {
  type AwsDoubleCors,
  type AwsDoubleCredentials,
  type AwsDoubleFault,
  type AwsDoubleOperation,
  type AwsDoubleOptions,
  type AwsDoubleRequest,
  OPERATIONS,
} from './types';

export interface PendingFault {
  readonly fault: AwsDoubleFault;
  left: number;
}

/** What a request is handled with: one double's state, some of it changed by tests meanwhile. */
export interface HandleContext {
  readonly store: SecretStore;
  readonly handlers: Handlers;
  readonly credentials: ReadonlyMap<string, AwsDoubleCredentials>;
  readonly requests: AwsDoubleRequest[];
  readonly faults: PendingFault[];
  readonly timers: Set<NodeJS.Timeout>;
  readonly options: AwsDoubleOptions;
  cors(): AwsDoubleCors;
}

export function errorBody(options: AwsDoubleOptions, fault: AwsFault): Record<string, string> {
  const type =
    options.errorTypeStyle === 'namespaced'
      ? `com.amazonaws.secretsmanager#${fault.type}`
      : options.errorTypeStyle === 'suffixed'
        ? `${fault.type}:http://internal.amazon.com/coral/com.amazonaws.secretsmanager/`
        : fault.type;
  return { __type: type, [options.messageField ?? 'Message']: fault.message };
}

function takeFault(faults: PendingFault[], operation: string): AwsDoubleFault | undefined {
  const index = faults.findIndex(
    (f) => f.fault.operation === undefined || f.fault.operation === operation,
  );
  if (index < 0) return undefined;
  const entry = faults[index];
  if (entry === undefined) return undefined;
  entry.left -= 1;
  if (entry.left <= 0) faults.splice(index, 1);
  return entry.fault;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function handle(
  ctx: HandleContext,
  req: IncomingMessage,
  res: ServerResponse,
  port: number,
): Promise<void> {
  const { store, handlers, credentials, requests, faults, timers, options } = ctx;
  const { now, region, accountId, find } = store;
  const target = req.headers['x-amz-target'];
  const operation =
    typeof target === 'string' && target.startsWith('secretsmanager.')
      ? target.slice('secretsmanager.'.length)
      : `${req.method} ${req.url}`;
  const entry: AwsDoubleRequest = {
    operation,
    headerNames: Object.keys(req.headers).sort(),
    status: 0,
  };
  requests.push(entry);
  const answer = (
    status: number,
    payload: Record<string, unknown> | undefined,
    errorType?: string,
  ) => {
    entry.status = status;
    if (errorType !== undefined) entry.errorType = errorType;
    res.statusCode = status;
    res.setHeader('x-amzn-RequestId', randomUUID());
    res.setHeader('Date', new Date(now()).toUTCString());
    if (errorType !== undefined) res.setHeader('x-amzn-ErrorType', errorType);
    if (payload === undefined) {
      res.end();
      return;
    }
    res.setHeader('Content-Type', 'application/x-amz-json-1.1');
    res.end(JSON.stringify(payload));
  };

  if (req.method === 'OPTIONS') {
    corsHeaders(req, res, true, ctx.cors());
    if (ctx.cors() === 'off') {
      answer(403, undefined);
      return;
    }
    answer(200, undefined);
    return;
  }
  corsHeaders(req, res, false, ctx.cors());
  const body = await readBody(req);
  if (req.method !== 'POST' || (req.url ?? '/').split('?')[0] !== '/') {
    // Not an API call (a browser's no-cors reachability probe, say): the service answers.
    answer(404, { message: 'Not Found' });
    return;
  }
  const fail = (fault: AwsFault) => answer(fault.status, errorBody(options, fault), fault.type);
  if (typeof target !== 'string' || !OPERATIONS.has(operation)) {
    fail(new AwsFault('UnknownOperationException', 'The requested operation is not recognized.'));
    return;
  }
  const fault = takeFault(faults, operation);
  if (fault !== undefined && fault.kind !== 'delay') {
    // CommonErrors: ThrottlingException (400), InternalFailure (500), ServiceUnavailable (503).
    if (fault.kind === 'throttle') fail(new AwsFault('ThrottlingException', 'Rate exceeded'));
    else if (fault.kind === 'internal')
      fail(new AwsFault('InternalServiceError', 'An error occurred on the server side.', 500));
    else
      fail(
        new AwsFault(
          'ServiceUnavailable',
          'The request has failed due to a temporary failure of the server.',
          503,
        ),
      );
    return;
  }
  let status = 200;
  let payload: Record<string, unknown>;
  let errorType: string | undefined;
  try {
    const key = await authenticate(req, body, port, { credentials, now, region });
    (entry as { accessKeyId?: string }).accessKeyId = key.accessKeyId;
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.startsWith('application/x-amz-json-1.1')) {
      throw new AwsFault(
        'SerializationException',
        'Content-Type must be application/x-amz-json-1.1.',
      );
    }
    let input: unknown;
    try {
      input = body === '' ? {} : JSON.parse(body);
    } catch {
      throw new AwsFault('SerializationException', 'The request body is not valid JSON.');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new AwsFault('SerializationException', 'The request body must be a JSON object.');
    }
    const op = operation as AwsDoubleOperation;
    if (key.allow !== undefined && !key.allow.includes(op)) {
      const resource =
        (input as { SecretId?: unknown; Name?: unknown }).SecretId ??
        (input as { Name?: unknown }).Name;
      const arn = `arn:aws:iam::${accountId}:user/${key.userName ?? 'coffer-test'}`;
      const on = typeof resource === 'string' ? (find(resource)?.arn ?? resource) : '*';
      throw new AwsFault(
        'AccessDeniedException',
        `User: ${arn} is not authorized to perform: secretsmanager:${op} on resource: ${on} because no identity-based policy allows the secretsmanager:${op} action`,
      );
    }
    payload = handlers[op](input as Record<string, unknown>);
  } catch (error) {
    if (!(error instanceof AwsFault)) throw error;
    status = error.status;
    payload = errorBody(options, error);
    errorType = error.type;
  }
  if (fault?.kind === 'delay') {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, fault.ms);
      timers.add(timer);
    });
  }
  answer(status, payload, errorType);
}
