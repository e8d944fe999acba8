import type { ProviderErrorContext } from './provider-error-types';
import { mountAndPrefix } from './provider-error-words';

/**
 * A Vault policy with what Coffer needs under its engine path, and no more: KV v2 reads and
 * writes data/, lists and reads metadata/ (and deletes it for destroy), undeletes for restore.
 */
export function hashicorpPolicy(context: ProviderErrorContext): string {
  const { mount, prefix } = mountAndPrefix(context);
  if (context.kvVersion === 1) {
    return [
      `path "${mount}/${prefix}*" {`,
      '  capabilities = ["create", "read", "update", "delete", "list"]',
      '}',
    ].join('\n');
  }
  return [
    `path "${mount}/data/${prefix}*" {`,
    '  capabilities = ["create", "read", "update", "delete"]',
    '}',
    `path "${mount}/metadata/${prefix}*" {`,
    '  capabilities = ["read", "list", "delete"]',
    '}',
    `path "${mount}/undelete/${prefix}*" {`,
    '  capabilities = ["update"]',
    '}',
  ].join('\n');
}

/** The capability and policy path a HashiCorp operation needs, for the "forbidden" text. */
export function hashicorpNeed(
  operation: string,
  context: ProviderErrorContext,
  secretPath: string | undefined,
): { capability: string; path: string } | undefined {
  const { mount, prefix } = mountAndPrefix(context);
  const v1 = context.kvVersion === 1;
  const below = secretPath ?? `${prefix}…`;
  switch (operation) {
    case 'list':
      return {
        capability: 'list',
        path: v1 ? `${mount}/${prefix}` : `${mount}/metadata/${prefix}`,
      };
    case 'read':
      return { capability: 'read', path: v1 ? `${mount}/${below}` : `${mount}/data/${below}` };
    case 'read metadata':
      return { capability: 'read', path: `${mount}/metadata/${below}` };
    case 'write':
      return {
        capability: 'create and update',
        path: v1 ? `${mount}/${below}` : `${mount}/data/${below}`,
      };
    case 'delete':
      return { capability: 'delete', path: v1 ? `${mount}/${below}` : `${mount}/data/${below}` };
    case 'destroy':
      return {
        capability: 'delete',
        path: v1 ? `${mount}/${below}` : `${mount}/metadata/${below}`,
      };
    case 'restore':
      return { capability: 'update', path: `${mount}/undelete/${below}` };
    case 'detect mount':
      return { capability: 'any capability', path: `${mount}/` };
    case 'lookup-self':
      // Vault's `default` policy grants both; a token made with -no-default-policy lacks them.
      return { capability: 'read', path: 'auth/token/lookup-self' };
    case 'renew-self':
      return { capability: 'update', path: 'auth/token/renew-self' };
    default:
      return undefined;
  }
}

/** The AWS IAM policy Coffer needs, scoped by name prefix where AWS allows it. */
export function awsIamPolicy(region: string | undefined, prefix = '<prefix>'): string {
  const shaped = region !== undefined && /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region);
  const partition = !shaped
    ? 'aws'
    : region.startsWith('cn-')
      ? 'aws-cn'
      : region.startsWith('us-gov-')
        ? 'aws-us-gov'
        : 'aws';
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          // ListSecrets has no resource-level permissions: "*" or nothing.
          Sid: 'CofferList',
          Effect: 'Allow',
          Action: 'secretsmanager:ListSecrets',
          Resource: '*',
        },
        {
          Sid: 'CofferSecrets',
          Effect: 'Allow',
          Action: [
            'secretsmanager:GetSecretValue',
            'secretsmanager:PutSecretValue',
            'secretsmanager:CreateSecret',
            'secretsmanager:UpdateSecretVersionStage',
            'secretsmanager:DescribeSecret',
            'secretsmanager:DeleteSecret',
            'secretsmanager:RestoreSecret',
          ],
          Resource: `arn:${partition}:secretsmanager:${shaped ? region : '<region>'}:<account-id>:secret:${prefix}*`,
        },
      ],
    },
    null,
    2,
  );
}
