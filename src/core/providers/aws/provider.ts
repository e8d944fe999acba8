import type { JsonValue } from '../../vault';
import { ProviderError, RemoteConflictError } from '../errors';
import {
  type AwsSettings,
  asRemoteVersion,
  type ConnectionReport,
  type DeletedSecret,
  type RemoteSecret,
  type RemoteVersion,
  type SecretsProvider,
} from '../types';
import { isScheduledForDeletion } from './errors-map';
import { type AwsTransportDeps, createTransport, providerError } from './transport';

export interface AwsProviderDeps extends AwsTransportDeps {
  /** A fresh UUID for each write's ClientRequestToken (it becomes the new VersionId). */
  readonly newToken: () => string;
}

/** API_PutSecretValue / API_CreateSecret: "SecretString ... Length Constraints: Maximum 65536". */
export const MAX_SECRET_BYTES = 65_536;
/** API_ListSecrets: MaxResults 1–100. */
const PAGE_SIZE = 100;
/** API_DeleteSecret: RecoveryWindowInDays 7–30, default 30. */
export const RECOVERY_WINDOW_DAYS = 30;
/** A listing that has not ended after this many pages is looping, not long. */
const MAX_PAGES = 10_000;

const encoder = new TextEncoder();

function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * A SecretsProvider over AWS Secrets Manager (see index.ts for the contract).
 * @example
 * const aws = createAwsProvider(settings, { fetch, now: Date.now, newToken: () => crypto.randomUUID() });
 */
export function createAwsProvider(settings: AwsSettings, deps: AwsProviderDeps): SecretsProvider {
  const { send } = createTransport(settings, deps);

  function malformed(operation: string, what: string, path?: string): ProviderError {
    return new ProviderError('aws', 'refused', operation, {
      detail: `answer without ${what}`,
      ...(path === undefined ? {} : { path }),
    });
  }

  /** API_ListSecrets: one page; secrets in their recovery window (DeletedDate) left out. */
  async function listPage(nextToken: string | undefined, signal?: AbortSignal) {
    const answer = await send(
      'ListSecrets',
      { MaxResults: PAGE_SIZE, ...(nextToken === undefined ? {} : { NextToken: nextToken }) },
      signal,
    );
    if (!answer.ok) throw providerError('ListSecrets', answer.error);
    const list = answer.body.SecretList;
    if (list !== undefined && !Array.isArray(list)) throw malformed('ListSecrets', 'a SecretList');
    const names: string[] = [];
    for (const entry of (list ?? []) as unknown[]) {
      if (!isObject(entry) || typeof entry.Name !== 'string')
        throw malformed('ListSecrets', 'secret names');
      // IncludePlannedDeletion defaults to false, but a LocalStack or an older service may
      // still list them: a secret with a DeletedDate is not there for Coffer.
      if (entry.DeletedDate !== undefined && entry.DeletedDate !== null) continue;
      names.push(entry.Name);
    }
    const next = str(answer.body, 'NextToken');
    return { names, next: next === '' ? undefined : next };
  }

  /** API_DescribeSecret: which version AWSCURRENT is on now, for a conflict report. */
  async function currentVersion(
    path: string,
    signal?: AbortSignal,
  ): Promise<RemoteVersion | 'absent' | undefined> {
    try {
      const answer = await send('DescribeSecret', { SecretId: path }, signal, path);
      if (!answer.ok)
        return answer.error.type === 'ResourceNotFoundException' ? 'absent' : undefined;
      if (answer.body.DeletedDate !== undefined) return 'absent';
      const stages = answer.body.VersionIdsToStages;
      if (!isObject(stages)) return undefined;
      for (const [id, labels] of Object.entries(stages)) {
        if (Array.isArray(labels) && labels.includes('AWSCURRENT')) return asRemoteVersion(id);
      }
      return undefined;
    } catch {
      return undefined; // only a courtesy for the conflict message
    }
  }

  /** API_UpdateSecretVersionStage, best effort: a label left behind is tidiness, not data. */
  async function dropPending(path: string, versionId: string, signal?: AbortSignal): Promise<void> {
    try {
      await send(
        'UpdateSecretVersionStage',
        { SecretId: path, VersionStage: 'AWSPENDING', RemoveFromVersionId: versionId },
        signal,
        path,
      );
    } catch {
      // The version keeps AWSPENDING until the next write moves the label.
    }
  }

  function serialise(
    path: string,
    values: Readonly<Record<string, JsonValue>>,
    operation: string,
  ): string {
    if (!isObject(values)) {
      throw new ProviderError('aws', 'refused', operation, {
        path,
        detail: 'values must be a JSON object',
      });
    }
    // JSON exactly: numbers stay numbers, nested objects stay objects (never String(v)).
    const text = JSON.stringify(values);
    const bytes = encoder.encode(text).length;
    if (bytes > MAX_SECRET_BYTES) {
      throw new ProviderError('aws', 'refused', operation, {
        path,
        detail: `the secret would be ${bytes} bytes of JSON; Secrets Manager stores at most ${MAX_SECRET_BYTES}`,
      });
    }
    return text;
  }

  const provider: SecretsProvider = {
    kind: 'aws',
    cas: 'atomic',

    async test(signal) {
      const page = await listPage(undefined, signal);
      const report: ConnectionReport = { kind: 'aws', secretsSeen: page.names.length };
      return report;
    },

    async list(signal) {
      const names: string[] = [];
      let token: string | undefined;
      for (let pages = 0; ; pages += 1) {
        if (pages >= MAX_PAGES) {
          throw new ProviderError('aws', 'refused', 'ListSecrets', {
            detail: `still paging after ${MAX_PAGES} pages`,
          });
        }
        const page = await listPage(token, signal);
        names.push(...page.names);
        // Pages may be short or empty while NextToken goes on (API_ListSecrets): only its
        // absence ends the listing. The same token twice would loop for ever.
        if (page.next === undefined) break;
        if (page.next === token) {
          throw new ProviderError('aws', 'refused', 'ListSecrets', {
            detail: 'NextToken did not advance',
          });
        }
        token = page.next;
      }
      return [...new Set(names)].sort();
    },

    async read(path, signal): Promise<RemoteSecret | undefined> {
      // API_GetSecretValue: the AWSCURRENT version by default.
      const answer = await send('GetSecretValue', { SecretId: path }, signal, path);
      if (!answer.ok) {
        if (answer.error.type === 'ResourceNotFoundException') return undefined;
        // In its recovery window the secret "is deleted" for the contract: read returns
        // undefined; a create at the name then says 'scheduled-for-deletion' (and restore).
        if (isScheduledForDeletion(answer.error)) return undefined;
        throw providerError('GetSecretValue', answer.error, path);
      }
      const versionId = str(answer.body, 'VersionId');
      if (versionId === undefined) throw malformed('GetSecretValue', 'a VersionId', path);
      const text = str(answer.body, 'SecretString');
      if (text === undefined) {
        throw new ProviderError('aws', 'not-an-object', 'GetSecretValue', {
          path,
          detail:
            answer.body.SecretBinary === undefined
              ? 'no SecretString'
              : 'the secret is binary (SecretBinary)',
        });
      }
      let values: unknown;
      try {
        values = JSON.parse(text);
      } catch {
        throw new ProviderError('aws', 'not-an-object', 'GetSecretValue', {
          path,
          detail: 'SecretString is not JSON (plain text secret)',
        });
      }
      if (!isObject(values)) {
        const kind = Array.isArray(values)
          ? 'an array'
          : values === null
            ? 'null'
            : `a ${typeof values}`;
        throw new ProviderError('aws', 'not-an-object', 'GetSecretValue', {
          path,
          detail: `SecretString is JSON ${kind}, not an object of KEY: value`,
        });
      }
      return { path, values, version: asRemoteVersion(versionId) };
    },

    async write(path, values, expected, signal) {
      const token = deps.newToken();
      if (expected === 'absent') {
        const text = serialise(path, values, 'CreateSecret');
        // API_CreateSecret: fails with ResourceExistsException when the name is taken, so
        // 'absent' is checked by the service itself.
        const answer = await send(
          'CreateSecret',
          { Name: path, ClientRequestToken: token, SecretString: text },
          signal,
          path,
        );
        if (!answer.ok) {
          if (answer.error.type === 'ResourceExistsException') {
            throw new RemoteConflictError(
              'aws',
              path,
              'absent',
              await currentVersion(path, signal),
            );
          }
          throw providerError('CreateSecret', answer.error, path);
        }
        return asRemoteVersion(str(answer.body, 'VersionId') ?? token);
      }

      const text = serialise(path, values, 'PutSecretValue');
      // Step 1, API_PutSecretValue with VersionStages ['AWSPENDING']: the new version exists but
      // AWSCURRENT does not move, so readers still see `expected`.
      const put = await send(
        'PutSecretValue',
        {
          SecretId: path,
          ClientRequestToken: token,
          SecretString: text,
          VersionStages: ['AWSPENDING'],
        },
        signal,
        path,
      );
      if (!put.ok) {
        if (put.error.type === 'ResourceNotFoundException') {
          throw new RemoteConflictError('aws', path, expected, 'absent');
        }
        throw providerError('PutSecretValue', put.error, path);
      }
      const created = str(put.body, 'VersionId') ?? token;
      // Step 2, API_UpdateSecretVersionStage: move AWSCURRENT to the new version only if it is
      // still on `expected`. "If the label is attached and you either do not specify
      // RemoveFromVersionId, or the version ID does not match, then the operation fails."
      const move = await send(
        'UpdateSecretVersionStage',
        {
          SecretId: path,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: created,
          RemoveFromVersionId: expected,
        },
        signal,
        path,
      );
      if (!move.ok) {
        const lost =
          move.error.type === 'InvalidParameterException' ||
          move.error.type === 'ResourceNotFoundException' ||
          isScheduledForDeletion(move.error);
        if (!lost) throw providerError('UpdateSecretVersionStage', move.error, path);
        await dropPending(path, created, signal);
        throw new RemoteConflictError('aws', path, expected, await currentVersion(path, signal));
      }
      await dropPending(path, created, signal);
      return asRemoteVersion(created);
    },

    async delete(path, signal): Promise<DeletedSecret> {
      // API_DeleteSecret: a recovery window; RestoreSecret undoes it until DeletionDate.
      const answer = await send(
        'DeleteSecret',
        { SecretId: path, RecoveryWindowInDays: RECOVERY_WINDOW_DAYS },
        signal,
        path,
      );
      if (!answer.ok) throw providerError('DeleteSecret', answer.error, path);
      const date = answer.body.DeletionDate;
      return {
        path,
        restorable: true,
        ...(typeof date === 'number' ? { purgeAt: Math.round(date * 1000) } : {}),
      };
    },

    async destroy(path, signal) {
      // API_DeleteSecret with ForceDeleteWithoutRecovery: no window, no restore. AWS removes
      // the name asynchronously; a create at once may still meet it for a moment.
      const answer = await send(
        'DeleteSecret',
        { SecretId: path, ForceDeleteWithoutRecovery: true },
        signal,
        path,
      );
      if (!answer.ok) {
        if (answer.error.type === 'ResourceNotFoundException') return; // nothing left to destroy
        throw providerError('DeleteSecret', answer.error, path);
      }
    },

    async restore(path, signal) {
      // API_RestoreSecret: clears DeletedDate; the secret's versions and labels are as before.
      const answer = await send('RestoreSecret', { SecretId: path }, signal, path);
      if (!answer.ok) throw providerError('RestoreSecret', answer.error, path);
    },
  };
  return provider;
}
