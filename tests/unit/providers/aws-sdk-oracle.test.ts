/**
 * The official AWS SDK for JavaScript v3 (@aws-sdk/client-secrets-manager, a dev dependency
 * used only here) against the double: if the SDK signs, sends and parses every operation Coffer
 * uses, and maps each error to its typed exception, the double's wire shapes are the service's
 * as the SDK's generated model knows them. Signatures made by the SDK are checked inside the
 * double too, so the double's SigV4 check is run on two independent signers.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  PutSecretValueCommand,
  paginateListSecrets,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsDouble, defaultAwsCredentials, startAwsDouble } from '../../support/aws-double';

let double: AwsDouble;
let sdk: SecretsManagerClient;

function sdkFor(
  target: AwsDouble,
  secretAccessKey = defaultAwsCredentials.secretAccessKey,
  accessKeyId = defaultAwsCredentials.accessKeyId,
) {
  return new SecretsManagerClient({
    endpoint: target.url,
    region: target.region,
    credentials: { accessKeyId, secretAccessKey },
    // The SDK's own retries would hide the double's first answer.
    maxAttempts: 1,
  });
}

async function rejection(promise: Promise<unknown>): Promise<SecretsManagerServiceException> {
  const error = await promise.then(
    () => {
      throw new Error('expected the SDK to reject');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SecretsManagerServiceException);
  return error as SecretsManagerServiceException;
}

beforeAll(async () => {
  double = await startAwsDouble({ pageSizes: [4, 0, 1] });
  sdk = sdkFor(double);
});
afterAll(async () => {
  sdk.destroy();
  await double.close();
});

describe('the official SDK against the double', () => {
  it('pages ListSecrets with paginateListSecrets through short and empty pages', async () => {
    const names = Array.from({ length: 23 }, (_, i) => `oracle/list-${String(i).padStart(2, '0')}`);
    for (const name of names) double.putDirect(name, { N: name });
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListSecrets({ client: sdk, pageSize: 100 }, {})) {
      pages += 1;
      for (const entry of page.SecretList ?? []) {
        expect(entry.ARN).toMatch(
          /^arn:aws:secretsmanager:us-east-1:\d{12}:secret:oracle\/list-\d\d-\w{6}$/,
        );
        expect(entry.LastChangedDate).toBeInstanceOf(Date);
        expect(entry.CreatedDate).toBeInstanceOf(Date);
        expect(Object.values(entry.SecretVersionsToStages ?? {})).toStrictEqual([['AWSCURRENT']]);
        seen.push(entry.Name ?? '');
      }
    }
    expect(seen.sort()).toStrictEqual(names);
    // 23 secrets in pages of 4, 0, 1 (5 per cycle): 4 cycles (12 pages), then 3 on one page.
    expect(pages).toBe(13);
  });

  it('CreateSecret, GetSecretValue, PutSecretValue and DescribeSecret: shapes and stage movement', async () => {
    const name = `oracle/${randomUUID()}`;
    const token = randomUUID();
    const created = await sdk.send(
      new CreateSecretCommand({ Name: name, SecretString: '{"A":1}', ClientRequestToken: token }),
    );
    expect(created.Name).toBe(name);
    expect(created.VersionId).toBe(token);
    expect(created.ARN).toContain(`:secret:${name}-`);
    expect(created.$metadata.httpStatusCode).toBe(200);

    // The same token and value again is ignored (API_CreateSecret idempotency).
    const again = await sdk.send(
      new CreateSecretCommand({ Name: name, SecretString: '{"A":1}', ClientRequestToken: token }),
    );
    expect(again.VersionId).toBe(token);

    const got = await sdk.send(new GetSecretValueCommand({ SecretId: name }));
    expect(got).toMatchObject({
      Name: name,
      VersionId: token,
      SecretString: '{"A":1}',
      VersionStages: ['AWSCURRENT'],
    });
    expect(got.CreatedDate).toBeInstanceOf(Date);
    expect(Math.abs((got.CreatedDate?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);

    // SDK fills ClientRequestToken itself (idempotencyToken in the model).
    const put = await sdk.send(
      new PutSecretValueCommand({ SecretId: got.ARN, SecretString: '{"A":2}' }),
    );
    expect(put.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(put.VersionStages).toStrictEqual(['AWSCURRENT']);

    const described = await sdk.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described.VersionIdsToStages).toStrictEqual({
      [token]: ['AWSPREVIOUS'],
      [put.VersionId as string]: ['AWSCURRENT'],
    });
    expect(described.DeletedDate).toBeUndefined();

    const previous = await sdk.send(
      new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }),
    );
    expect(previous.SecretString).toBe('{"A":1}');

    const binary = await sdk.send(
      new PutSecretValueCommand({ SecretId: name, SecretBinary: new Uint8Array([0, 1, 254, 255]) }),
    );
    const gotBinary = await sdk.send(
      new GetSecretValueCommand({ SecretId: name, VersionId: binary.VersionId }),
    );
    expect(gotBinary.SecretBinary).toStrictEqual(new Uint8Array([0, 1, 254, 255]));
    expect(gotBinary.SecretString).toBeUndefined();
  });

  it('UpdateSecretVersionStage is a compare-and-swap of AWSCURRENT', async () => {
    const name = `oracle/${randomUUID()}`;
    const first = await sdk.send(new CreateSecretCommand({ Name: name, SecretString: '{"v":1}' }));
    const pending = await sdk.send(
      new PutSecretValueCommand({
        SecretId: name,
        SecretString: '{"v":2}',
        VersionStages: ['AWSPENDING'],
      }),
    );
    expect(pending.VersionStages).toStrictEqual(['AWSPENDING']);
    expect((await sdk.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe(
      '{"v":1}',
    );

    // Without RemoveFromVersionId, or with the wrong one, the move fails.
    for (const remove of [undefined, pending.VersionId]) {
      const error = await rejection(
        sdk.send(
          new UpdateSecretVersionStageCommand({
            SecretId: name,
            VersionStage: 'AWSCURRENT',
            MoveToVersionId: pending.VersionId,
            ...(remove === undefined ? {} : { RemoveFromVersionId: remove }),
          }),
        ),
      );
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
    const moved = await sdk.send(
      new UpdateSecretVersionStageCommand({
        SecretId: name,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: pending.VersionId,
        RemoveFromVersionId: first.VersionId,
      }),
    );
    expect(moved).toMatchObject({ Name: name });
    expect(moved.ARN).toContain(name);
    const described = await sdk.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described.VersionIdsToStages).toStrictEqual({
      [first.VersionId as string]: ['AWSPREVIOUS'],
      [pending.VersionId as string]: ['AWSPENDING', 'AWSCURRENT'],
    });
  });

  it('DeleteSecret, the recovery window, RestoreSecret and force delete', async () => {
    const name = `oracle/${randomUUID()}`;
    await sdk.send(new CreateSecretCommand({ Name: name, SecretString: '{}' }));
    const deleted = await sdk.send(
      new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }),
    );
    expect(deleted.DeletionDate).toBeInstanceOf(Date);
    expect((deleted.DeletionDate?.getTime() ?? 0) - Date.now()).toBeGreaterThan(
      7 * 86_400_000 - 60_000,
    );

    const get = await rejection(sdk.send(new GetSecretValueCommand({ SecretId: name })));
    expect(get).toBeInstanceOf(InvalidRequestException);
    expect(get.message).toMatch(/marked for deletion/);
    const create = await rejection(
      sdk.send(new CreateSecretCommand({ Name: name, SecretString: '{}' })),
    );
    expect(create).toBeInstanceOf(InvalidRequestException);
    expect(create.message).toMatch(/scheduled for deletion/);
    const described = await sdk.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described.DeletedDate).toBeInstanceOf(Date);

    // Hidden from ListSecrets unless IncludePlannedDeletion.
    const listed = async (include: boolean) => {
      const out: string[] = [];
      for await (const page of paginateListSecrets(
        { client: sdk },
        { IncludePlannedDeletion: include },
      )) {
        out.push(...(page.SecretList ?? []).map((s) => s.Name ?? ''));
      }
      return out;
    };
    expect(await listed(false)).not.toContain(name);
    expect(await listed(true)).toContain(name);

    const restored = await sdk.send(new RestoreSecretCommand({ SecretId: name }));
    expect(restored.Name).toBe(name);
    expect((await sdk.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('{}');

    const both = await rejection(
      sdk.send(
        new DeleteSecretCommand({
          SecretId: name,
          RecoveryWindowInDays: 7,
          ForceDeleteWithoutRecovery: true,
        }),
      ),
    );
    expect(both).toBeInstanceOf(InvalidParameterException);
    const window = await rejection(
      sdk.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 6 })),
    );
    expect(window).toBeInstanceOf(InvalidParameterException);

    await sdk.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    const gone = await rejection(sdk.send(new GetSecretValueCommand({ SecretId: name })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(gone.name).toBe('ResourceNotFoundException');
  });

  it('maps the typed errors: ResourceNotFound, ResourceExists, a reused token with another value', async () => {
    const missing = await rejection(
      sdk.send(new GetSecretValueCommand({ SecretId: 'oracle/none' })),
    );
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.$metadata.httpStatusCode).toBe(400);
    expect(missing.$fault).toBe('client');

    const name = `oracle/${randomUUID()}`;
    const token = randomUUID();
    await sdk.send(
      new CreateSecretCommand({ Name: name, SecretString: '{"A":1}', ClientRequestToken: token }),
    );
    const exists = await rejection(
      sdk.send(new CreateSecretCommand({ Name: name, SecretString: '{"A":1}' })),
    );
    expect(exists).toBeInstanceOf(ResourceExistsException);
    expect(exists.message).toContain(name);
    const reused = await rejection(
      sdk.send(
        new PutSecretValueCommand({
          SecretId: name,
          SecretString: '{"A":2}',
          ClientRequestToken: token,
        }),
      ),
    );
    expect(reused).toBeInstanceOf(ResourceExistsException);
    // Same token, same value: ignored, nothing new.
    const same = await sdk.send(
      new PutSecretValueCommand({
        SecretId: name,
        SecretString: '{"A":1}',
        ClientRequestToken: token,
      }),
    );
    expect(same.VersionId).toBe(token);
    expect(double.secret(name)?.versions).toHaveLength(1);
  });

  it('rejects the SDK with the common auth errors: unknown key, wrong secret, throttling, 500', async () => {
    const unknown = sdkFor(double, 'x', 'AKIAUNKNOWN000000000');
    const a = await rejection(unknown.send(new GetSecretValueCommand({ SecretId: 'x' })));
    expect(a.name).toBe('UnrecognizedClientException');
    unknown.destroy();
    const wrong = sdkFor(double, 'wrong-secret');
    const b = await rejection(wrong.send(new GetSecretValueCommand({ SecretId: 'x' })));
    expect(b.name).toBe('InvalidSignatureException');
    wrong.destroy();
    double.fail({ kind: 'throttle' });
    const c = await rejection(sdk.send(new GetSecretValueCommand({ SecretId: 'x' })));
    expect(c.name).toBe('ThrottlingException');
    double.fail({ kind: 'internal' });
    const d = await rejection(sdk.send(new GetSecretValueCommand({ SecretId: 'x' })));
    expect(d.name).toBe('InternalServiceError');
    expect(d.$metadata.httpStatusCode).toBe(500);
    expect(d.$fault).toBe('server');
  });

  it('accepts the SDK on a namespaced-error double as well', async () => {
    const other = await startAwsDouble({ errorTypeStyle: 'namespaced', messageField: 'message' });
    const client = sdkFor(other);
    try {
      const error = await rejection(client.send(new GetSecretValueCommand({ SecretId: 'none' })));
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error.message).toMatch(/can't find the specified secret/);
    } finally {
      client.destroy();
      await other.close();
    }
  });
});
