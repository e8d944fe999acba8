/**
 * The operations of AWS Secrets Manager the double serves, each from its API reference section
 * (cited on each): the JSON body in, the JSON answer out, or an AwsFault.
 */

import {
  AwsFault,
  attach,
  DAY_MS,
  listEntry,
  markedForDeletion,
  notFound,
  readValue,
  type Secret,
  type SecretStore,
  sameValue,
  seconds,
  token,
  type Version,
} from './state';
import type { AwsDoubleOperation } from './types';

export type Handlers = Record<
  AwsDoubleOperation,
  (body: Record<string, unknown>) => Record<string, unknown>
>;

/** `currentPageSizes`: ListSecrets' page sizes as set now (setPageSizes may change them). */
export function createHandlers(
  store: SecretStore,
  currentPageSizes: () => readonly number[],
): Handlers {
  const { secrets, now, purge, find, arnFor, addVersion } = store;
  return {
    /** API_ListSecrets: MaxResults 1–100; NextToken while more remain; pages may be short or empty. */
    ListSecrets(body) {
      purge();
      const pageSizes = currentPageSizes();
      const max = body.MaxResults ?? 100;
      if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 100) {
        throw new AwsFault('InvalidParameterException', 'MaxResults must be between 1 and 100.');
      }
      let start = 0;
      let page = 0;
      if (body.NextToken !== undefined) {
        try {
          const parsed = JSON.parse(
            Buffer.from(String(body.NextToken), 'base64url').toString('utf8'),
          ) as unknown;
          if (typeof parsed !== 'object' || parsed === null) throw new Error('shape');
          const o = (parsed as { o?: unknown }).o;
          const p = (parsed as { p?: unknown }).p;
          if (typeof o !== 'number' || typeof p !== 'number') throw new Error('shape');
          start = o;
          page = p;
        } catch {
          throw new AwsFault('InvalidNextTokenException', 'The NextToken value is invalid.');
        }
      }
      let list = [...secrets.values()];
      if (body.IncludePlannedDeletion !== true) list = list.filter((s) => s.deleted === undefined);
      const filters = Array.isArray(body.Filters)
        ? (body.Filters as { Key?: unknown; Values?: unknown }[])
        : [];
      for (const f of filters) {
        // Filters, Key "name": a prefix match, not case sensitive.
        if (f.Key === 'name' && Array.isArray(f.Values)) {
          const prefixes = f.Values.map((v) => String(v).toLowerCase());
          list = list.filter((s) => prefixes.some((p) => s.name.toLowerCase().startsWith(p)));
        }
      }
      list.sort((a, b) => a.created - b.created);
      if (body.SortOrder === 'desc') list.reverse();
      const size = Math.min(max, pageSizes[page % pageSizes.length] ?? 100);
      const slice = list.slice(start, start + size);
      const end = start + slice.length;
      const next =
        end < list.length
          ? Buffer.from(JSON.stringify({ o: end, p: page + 1 })).toString('base64url')
          : undefined;
      return {
        SecretList: slice.map(listEntry),
        ...(next === undefined ? {} : { NextToken: next }),
      };
    },

    /** API_GetSecretValue: AWSCURRENT unless VersionId or VersionStage says otherwise. */
    GetSecretValue(body) {
      const s = find(body.SecretId);
      if (s === undefined) throw notFound();
      if (s.deleted !== undefined) throw markedForDeletion();
      let v: Version | undefined;
      if (typeof body.VersionId === 'string') {
        v = s.versions.get(body.VersionId);
        if (v === undefined) {
          throw new AwsFault(
            'ResourceNotFoundException',
            `Secrets Manager can't find the specified secret value for VersionId: ${body.VersionId}`,
          );
        }
      } else {
        const stage = typeof body.VersionStage === 'string' ? body.VersionStage : 'AWSCURRENT';
        for (const candidate of s.versions.values()) if (candidate.stages.has(stage)) v = candidate;
        if (v === undefined) {
          throw new AwsFault(
            'ResourceNotFoundException',
            `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
          );
        }
      }
      return {
        ARN: s.arn,
        Name: s.name,
        VersionId: v.id,
        ...(v.string === undefined ? {} : { SecretString: v.string }),
        ...(v.binary === undefined ? {} : { SecretBinary: v.binary.toString('base64') }),
        VersionStages: [...v.stages],
        CreatedDate: seconds(v.created),
      };
    },

    /**
     * API_PutSecretValue: a new version, labelled VersionStages (default AWSCURRENT). The token
     * becomes the VersionId; "If a version with this value already exists and that version's
     * SecretString and SecretBinary values are the same as those in the request, then the
     * request is ignored"; different values fail ("you can't modify an existing version").
     */
    PutSecretValue(body) {
      const s = find(body.SecretId);
      if (s === undefined) throw notFound();
      if (s.deleted !== undefined) throw markedForDeletion();
      const value = readValue(body);
      if (value === undefined) {
        throw new AwsFault(
          'InvalidParameterException',
          'You must provide either SecretString or SecretBinary.',
        );
      }
      const id = token(body);
      const existing = s.versions.get(id);
      if (existing !== undefined) {
        if (!sameValue(existing, value)) {
          throw new AwsFault(
            'ResourceExistsException',
            'A resource with the ID you requested already exists.',
          );
        }
        return {
          ARN: s.arn,
          Name: s.name,
          VersionId: existing.id,
          VersionStages: [...existing.stages],
        };
      }
      let stages: string[] = ['AWSCURRENT'];
      if (body.VersionStages !== undefined) {
        if (
          !Array.isArray(body.VersionStages) ||
          body.VersionStages.some((x) => typeof x !== 'string')
        ) {
          throw new AwsFault(
            'InvalidParameterException',
            'VersionStages must be a list of strings.',
          );
        }
        stages = body.VersionStages as string[];
      }
      const v = addVersion(s, id, value, stages);
      return { ARN: s.arn, Name: s.name, VersionId: v.id, VersionStages: [...v.stages] };
    },

    /**
     * API_CreateSecret: fails with ResourceExistsException when the name is taken, and with
     * InvalidRequestException when it is held by a secret scheduled for deletion. The same
     * ClientRequestToken and value again is ignored (idempotency).
     */
    CreateSecret(body) {
      const name = body.Name;
      if (typeof name !== 'string' || !/^[A-Za-z0-9/_+=.@!-]{1,512}$/.test(name)) {
        throw new AwsFault(
          'InvalidParameterException',
          'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
        );
      }
      const value = readValue(body);
      const id = token(body);
      const existing = find(name);
      if (existing !== undefined) {
        if (existing.deleted !== undefined) {
          throw new AwsFault(
            'InvalidRequestException',
            "You can't create this secret because a secret with this name is already scheduled for deletion.",
          );
        }
        const same = existing.versions.get(id);
        if (same !== undefined && value !== undefined && sameValue(same, value)) {
          return { ARN: existing.arn, Name: existing.name, VersionId: same.id };
        }
        throw new AwsFault(
          'ResourceExistsException',
          `The operation failed because the secret ${name} already exists.`,
        );
      }
      const s: Secret = {
        name,
        arn: arnFor(name),
        created: now(),
        lastChanged: now(),
        versions: new Map(),
      };
      if (typeof body.Description === 'string') s.description = body.Description;
      secrets.set(name, s);
      if (value === undefined) return { ARN: s.arn, Name: s.name };
      const v = addVersion(s, id, value, ['AWSCURRENT']);
      return { ARN: s.arn, Name: s.name, VersionId: v.id };
    },

    /**
     * API_DeleteSecret: RecoveryWindowInDays 7–30 (default 30) or ForceDeleteWithoutRecovery,
     * not both. DeletionDate in the answer; RestoreSecret until then.
     */
    DeleteSecret(body) {
      const force = body.ForceDeleteWithoutRecovery === true;
      if (force && body.RecoveryWindowInDays !== undefined) {
        throw new AwsFault(
          'InvalidParameterException',
          "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
        );
      }
      const days = body.RecoveryWindowInDays ?? 30;
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 7 || days > 30) {
        throw new AwsFault(
          'InvalidParameterException',
          'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
        );
      }
      const s = find(body.SecretId);
      if (s === undefined) throw notFound();
      if (force) {
        secrets.delete(s.name);
        return { ARN: s.arn, Name: s.name, DeletionDate: seconds(now()) };
      }
      if (s.deleted !== undefined) {
        throw new AwsFault(
          'InvalidRequestException',
          "You can't perform this operation on the secret because it was already scheduled for deletion.",
        );
      }
      s.deleted = now();
      s.deletionDate = now() + days * DAY_MS;
      return { ARN: s.arn, Name: s.name, DeletionDate: seconds(s.deletionDate) };
    },

    /** API_RestoreSecret: cancels the deletion; versions and labels are as before. */
    RestoreSecret(body) {
      const s = find(body.SecretId);
      if (s === undefined) throw notFound();
      delete s.deleted;
      delete s.deletionDate;
      return { ARN: s.arn, Name: s.name };
    },

    /** API_DescribeSecret: metadata, VersionIdsToStages, DeletedDate; answers for deleted secrets too. */
    DescribeSecret(body) {
      const s = find(body.SecretId);
      if (s === undefined) throw notFound();
      const stages: Record<string, string[]> = {};
      for (const v of s.versions.values()) if (v.stages.size > 0) stages[v.id] = [...v.stages];
      return {
        ARN: s.arn,
        Name: s.name,
        ...(s.description === undefined ? {} : { Description: s.description }),
        LastChangedDate: seconds(s.lastChanged),
        CreatedDate: seconds(s.created),
        ...(s.deleted === undefined ? {} : { DeletedDate: seconds(s.deleted) }),
        VersionIdsToStages: stages,
        Tags: [],
      };
    },

    /**
     * API_UpdateSecretVersionStage: "If the staging label is already attached to a different
     * version of the secret, then you must also specify the RemoveFromVersionId parameter ...
     * If the label is attached and you either do not specify RemoveFromVersionId, or the version
     * ID does not match, then the operation fails." Moving AWSCURRENT sets AWSPREVIOUS on the
     * version it left.
     */
    UpdateSecretVersionStage(body) {
      const s = find(body.SecretId);
      if (s === undefined) throw notFound();
      if (s.deleted !== undefined) throw markedForDeletion();
      const stage = body.VersionStage;
      if (typeof stage !== 'string' || stage === '') {
        throw new AwsFault('InvalidParameterException', 'VersionStage is required.');
      }
      const moveTo = typeof body.MoveToVersionId === 'string' ? body.MoveToVersionId : undefined;
      const removeFrom =
        typeof body.RemoveFromVersionId === 'string' ? body.RemoveFromVersionId : undefined;
      if (moveTo === undefined && removeFrom === undefined) {
        throw new AwsFault(
          'InvalidParameterException',
          'You must specify MoveToVersionId or RemoveFromVersionId.',
        );
      }
      let holder: Version | undefined;
      for (const v of s.versions.values()) if (v.stages.has(stage)) holder = v;
      if (moveTo !== undefined) {
        const target = s.versions.get(moveTo);
        if (target === undefined) {
          throw new AwsFault(
            'ResourceNotFoundException',
            `Secrets Manager can't find the specified secret value for VersionId: ${moveTo}`,
          );
        }
        if (holder !== undefined && holder !== target && removeFrom !== holder.id) {
          throw new AwsFault(
            'InvalidParameterException',
            `The parameter RemoveFromVersionId doesn't match. Staging label ${stage} is currently attached to version ${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`,
          );
        }
        attach(s, target, stage);
      } else if (removeFrom !== undefined) {
        if (holder === undefined || holder.id !== removeFrom) {
          throw new AwsFault(
            'InvalidParameterException',
            `The staging label ${stage} is not attached to version ${removeFrom}.`,
          );
        }
        if (stage === 'AWSCURRENT') {
          throw new AwsFault(
            'InvalidParameterException',
            "You can't remove the staging label AWSCURRENT without moving it to another version.",
          );
        }
        holder.stages.delete(stage);
      }
      s.lastChanged = now();
      return { ARN: s.arn, Name: s.name };
    },
  };
}
