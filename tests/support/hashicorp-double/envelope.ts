/**
 * Vault's response shapes (api-docs/index#http-status-codes, and every endpoint's sample
 * response): a success is the envelope below; a failure is `{"errors": [...]}` with the status;
 * a success with nothing to say is 204 with no body.
 */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

let requestSeq = 0;

/** A 200 with the standard envelope around `data` (or `auth`). */
export function ok(
  data: unknown,
  extra: { auth?: unknown; warnings?: string[]; mountType?: string } = {},
): Reply {
  requestSeq += 1;
  return {
    status: 200,
    body: {
      request_id: `00000000-0000-4000-8000-${String(requestSeq).padStart(12, '0')}`,
      lease_id: '',
      renewable: false,
      lease_duration: 0,
      data: extra.auth === undefined ? data : null,
      wrap_info: null,
      warnings: extra.warnings ?? null,
      auth: extra.auth ?? null,
      mount_type: extra.mountType ?? '',
    },
  };
}

/** A 404 that still carries an envelope: KV v2's read of a deleted version (kv-v2#read-secret-version). */
export function notFoundWith(data: unknown): Reply {
  return { ...ok(data), status: 404 };
}

export function error(status: number, ...errors: string[]): Reply {
  return { status, body: { errors } };
}

export const noContent: Reply = { status: 204 };

/** Vault's permission error text (sdk/logical ErrPermissionDenied through multierror). */
export const PERMISSION_DENIED = '1 error occurred:\n\t* permission denied\n\n';

export function denied(): Reply {
  return error(403, PERMISSION_DENIED);
}
