/**
 * explainProviderError: every failure reason has words for each provider and kind of settings,
 * the CORS fix names this page's origin and the server's address, and no credential from the
 * settings ever appears in what is shown, even when the remote echoes one back.
 */
import { describe, expect, it } from 'vitest';
import { ProviderError, RemoteConflictError } from '../../../src/core/providers/errors';
import {
  asRemoteVersion,
  type ProviderFailure,
  type ProviderSettings,
} from '../../../src/core/providers/types';
import {
  AWS_CORS_HEADERS,
  isProviderFailure,
  PROVIDER_FAILURES,
  type ProviderErrorExplanation,
} from '../../../src/ui/state/provider-error-types';
import { explainProviderError } from '../../../src/ui/state/provider-errors';
import { awsIamPolicy, hashicorpPolicy } from '../../../src/ui/state/provider-policies';

const ORIGIN = 'https://coffer.example.org';
const CANARY = {
  token: 'hvs.CANARYtoken0001',
  roleId: 'CANARY-role-id-0002',
  secretId: 'CANARY-secret-id-0003',
  accessKeyId: 'AKIACANARY00000004',
  secretAccessKey: 'CANARYsecretAccessKey/0005',
  sessionToken: 'CANARYsessionToken0006',
};
const canaries = Object.values(CANARY);

const vaultToken: ProviderSettings = {
  kind: 'hashicorp',
  address: 'https://vault.example.com:8200',
  enginePath: 'kv/team',
  auth: { method: 'token', token: CANARY.token },
};
const vaultAppRole: ProviderSettings = {
  kind: 'hashicorp',
  address: 'https://vault.example.com:8200',
  namespace: 'admin/team-a',
  enginePath: 'secret',
  auth: {
    method: 'approle',
    roleId: CANARY.roleId,
    secretId: CANARY.secretId,
    mount: 'ci-approle',
  },
};
const aws: ProviderSettings = {
  kind: 'aws',
  region: 'eu-west-1',
  accessKeyId: CANARY.accessKeyId,
  secretAccessKey: CANARY.secretAccessKey,
  sessionToken: CANARY.sessionToken,
};
const localstack: ProviderSettings = {
  kind: 'aws',
  region: 'us-east-1',
  endpoint: 'http://localhost:4566',
  accessKeyId: CANARY.accessKeyId,
  secretAccessKey: CANARY.secretAccessKey,
};
const allSettings = [vaultToken, vaultAppRole, aws, localstack];

/** Every string the explanation would put on screen. */
function texts(explanation: ProviderErrorExplanation): string[] {
  return [
    explanation.title,
    ...explanation.body,
    explanation.command ?? '',
    ...explanation.snippets.flatMap((s) => [s.label, s.text]),
  ];
}

function failure(
  settings: ProviderSettings,
  reason: ProviderFailure,
  details: { status?: number; detail?: string; path?: string } = {},
  operation?: string,
): ProviderError {
  const op = operation ?? (settings.kind === 'aws' ? 'ListSecrets' : 'list');
  return new ProviderError(settings.kind, reason, op, details);
}

describe('explainProviderError: every reason', () => {
  it('knows the full list of reasons', () => {
    expect(PROVIDER_FAILURES).toHaveLength(16);
    expect(new Set(PROVIDER_FAILURES).size).toBe(PROVIDER_FAILURES.length);
  });

  it('gives every reason a title and a body, for each provider and kind of settings', () => {
    for (const settings of allSettings) {
      for (const reason of PROVIDER_FAILURES) {
        const explained = explainProviderError(failure(settings, reason, { path: 'app/prod' }), {
          settings,
          pageOrigin: ORIGIN,
          now: Date.UTC(2026, 11, 2, 1, 0, 0),
        });
        const label = `${settings.kind}/${reason}`;
        expect(explained.title.length, label).toBeGreaterThan(5);
        expect(explained.body.length, label).toBeGreaterThan(0);
        for (const line of texts(explained)) {
          expect(line, label).not.toMatch(/undefined|\[object Object\]|NaN/);
        }
        for (const line of explained.body) expect(line.trim().length, label).toBeGreaterThan(0);
        if (explained.command !== undefined) {
          expect(explained.snippets[0]?.text, label).toBe(explained.command);
        }
      }
    }
  });

  it('works without settings (a failure from elsewhere), naming no address it does not know', () => {
    for (const reason of PROVIDER_FAILURES) {
      for (const provider of ['hashicorp', 'aws'] as const) {
        const explained = explainProviderError(new ProviderError(provider, reason, 'read'), {
          pageOrigin: ORIGIN,
        });
        expect(explained.title.length).toBeGreaterThan(5);
        for (const line of texts(explained)) expect(line).not.toMatch(/undefined/);
      }
    }
  });

  it('ends with the remote’s own words, the operation and the status', () => {
    const explained = explainProviderError(
      failure(
        vaultToken,
        'refused',
        { status: 400, detail: 'unsupported path', path: 'app' },
        'write',
      ),
      { settings: vaultToken, pageOrigin: ORIGIN },
    );
    expect(explained.body.at(-1)).toBe('Vault said (write app): “unsupported path”, HTTP 400.');
  });
});

describe('explainProviderError: CORS', () => {
  it('HashiCorp: the sys/config/cors call with this page’s origin, in CLI and curl form', () => {
    const explained = explainProviderError(failure(vaultAppRole, 'cors'), {
      settings: vaultAppRole,
      pageOrigin: ORIGIN,
    });
    expect(explained.command).toBe(
      `vault write sys/config/cors enabled=true allowed_origins="${ORIGIN}"`,
    );
    const curl = explained.snippets.find((s) => s.text.startsWith('curl '))?.text;
    expect(curl).toBe(
      `curl -X POST -H "X-Vault-Token: $VAULT_TOKEN" -d '{"enabled":true,"allowed_origins":["${ORIGIN}"]}' https://vault.example.com:8200/v1/sys/config/cors`,
    );
    // The call is made in the root namespace: never under the vault's own namespace.
    expect(curl).not.toContain('admin/team-a');
    const body = explained.body.join('\n');
    expect(body).toContain('sudo');
    expect(body).toContain('root namespace');
    expect(body).toContain('X-Vault-Namespace');
    expect(body).toContain('HCP Vault Dedicated');
  });

  it('HashiCorp: uses the page origin it is given (not a fixed one)', () => {
    const other = 'http://localhost:5173';
    const explained = explainProviderError(failure(vaultToken, 'cors'), {
      settings: vaultToken,
      pageOrigin: other,
    });
    expect(explained.command).toContain(`"${other}"`);
    expect(explained.command).not.toContain(ORIGIN);
  });

  it('AWS with an endpoint override: LocalStack’s setting and the headers to allow', () => {
    const explained = explainProviderError(failure(localstack, 'cors'), {
      settings: localstack,
      pageOrigin: ORIGIN,
    });
    expect(explained.command).toBe(`EXTRA_CORS_ALLOWED_ORIGINS=${ORIGIN}`);
    const all = texts(explained).join('\n');
    for (const header of AWS_CORS_HEADERS) expect(all).toContain(header);
    expect(all).toContain('http://localhost:4566');
  });

  it('AWS without an override: AWS allows browsers, so something in between refused', () => {
    const explained = explainProviderError(failure(aws, 'cors'), {
      settings: aws,
      pageOrigin: ORIGIN,
    });
    expect(explained.body.join(' ')).toContain('allow pages in a browser');
    expect(explained.body.join(' ')).toContain('https://secretsmanager.eu-west-1.amazonaws.com');
    expect(explained.command).toBeUndefined();
  });
});

describe('explainProviderError: never a credential', () => {
  it('keeps every canary credential out of every reason’s text, even when the remote echoes it', () => {
    for (const settings of allSettings) {
      // A remote can only echo what it was sent: this settings' own credentials.
      const sent = canaries.filter((c) => JSON.stringify(settings).includes(c));
      expect(sent.length).toBeGreaterThan(0);
      const echo = `bad credentials ${sent.join(' ')}`;
      for (const reason of PROVIDER_FAILURES) {
        const explained = explainProviderError(
          failure(settings, reason, { status: 403, detail: echo, path: 'app/prod' }),
          { settings, pageOrigin: ORIGIN },
        );
        const all = texts(explained).join('\n');
        for (const canary of canaries)
          expect(all, `${settings.kind}/${reason}`).not.toContain(canary);
        expect(all).toContain('[redacted]');
      }
    }
  });

  it('keeps them out of other errors’ words too', () => {
    const explained = explainProviderError(new Error(`oops ${CANARY.token}`), {
      settings: vaultToken,
      pageOrigin: ORIGIN,
    });
    expect(texts(explained).join('\n')).not.toContain(CANARY.token);
  });
});

describe('explainProviderError: what each reason says', () => {
  const explain = (
    settings: ProviderSettings,
    reason: ProviderFailure,
    operation?: string,
    path?: string,
  ) =>
    explainProviderError(failure(settings, reason, path === undefined ? {} : { path }, operation), {
      settings,
      pageOrigin: ORIGIN,
      now: Date.UTC(2026, 11, 2, 1, 2, 3),
    });

  it('auth: token, AppRole and access key each get their own words', () => {
    expect(explain(vaultToken, 'auth', 'lookup-self').title).toBe('Vault refused the token');
    const approle = explain(vaultAppRole, 'auth', 'login');
    expect(approle.title).toBe('Vault refused the AppRole login');
    expect(approle.command).toBe('vault write -f auth/ci-approle/role/<role-name>/secret-id');
    expect(approle.body.join(' ')).toContain('admin/team-a');
    expect(explain(aws, 'auth').title).toBe('AWS does not accept this access key');
  });

  it('forbidden (HashiCorp): the capability and path, and a minimal policy', () => {
    const list = explain(vaultToken, 'forbidden', 'list');
    expect(list.title).toBe('The policy does not allow list on kv/metadata/team/');
    const policy = list.snippets[0]?.text ?? '';
    expect(policy).toContain('path "kv/data/team/*"');
    expect(policy).toContain('path "kv/metadata/team/*"');
    expect(policy).toContain('"list"');
    const write = explain(vaultToken, 'forbidden', 'write', 'team/app');
    expect(write.title).toBe('The policy does not allow create and update on kv/data/team/app');
  });

  it('forbidden (HashiCorp, KV v1 and a known mount): v1 paths', () => {
    const explained = explainProviderError(failure(vaultToken, 'forbidden', {}, 'list'), {
      settings: vaultToken,
      pageOrigin: ORIGIN,
      mount: 'kv/team',
      kvVersion: 1,
    });
    expect(explained.title).toBe('The policy does not allow list on kv/team/');
    expect(explained.snippets[0]?.text).toBe(
      hashicorpPolicy({ pageOrigin: ORIGIN, settings: vaultToken, mount: 'kv/team', kvVersion: 1 }),
    );
    expect(explained.snippets[0]?.text).toContain('path "kv/team/*"');
  });

  it('forbidden (AWS): the action and an IAM policy for the region', () => {
    const explained = explain(aws, 'forbidden', 'GetSecretValue', 'coffer/app');
    expect(explained.title).toBe('AWS denied secretsmanager:GetSecretValue');
    const policy = JSON.parse(explained.snippets[0]?.text ?? '') as {
      Statement: { Action: string | string[]; Resource: string }[];
    };
    expect(policy.Statement[0]?.Action).toBe('secretsmanager:ListSecrets');
    expect(policy.Statement[1]?.Resource).toBe(
      'arn:aws:secretsmanager:eu-west-1:<account-id>:secret:<prefix>*',
    );
    expect(policy.Statement[1]?.Action).toContain('secretsmanager:RestoreSecret');
  });

  it('IAM policy: partitions follow the region', () => {
    expect(awsIamPolicy('cn-north-1')).toContain('arn:aws-cn:secretsmanager:cn-north-1:');
    expect(awsIamPolicy('us-gov-west-1')).toContain('arn:aws-us-gov:');
    expect(awsIamPolicy('not a region')).toContain('arn:aws:secretsmanager:<region>:');
    expect(awsIamPolicy('eu-west-1', 'team/')).toContain(':secret:team/*"');
  });

  it('clock skew: this device’s clock in UTC and AWS’s 15 minutes', () => {
    const body = explain(aws, 'clock-skew').body.join(' ');
    expect(body).toContain('2026-12-02 01:02:03 UTC');
    expect(body).toContain('15 minutes');
  });

  it('mixed content: names this page and the http address', () => {
    const settings: ProviderSettings = { ...vaultToken, address: 'http://vault.lan:8200' };
    const body = explain(settings, 'mixed-content').body.join(' ');
    expect(body).toContain(ORIGIN);
    expect(body).toContain('http://vault.lan:8200');
  });

  it('scheduled for deletion: the restore command for that secret and region', () => {
    const explained = explain(aws, 'scheduled-for-deletion', 'CreateSecret', 'coffer/app');
    expect(explained.command).toBe(
      'aws secretsmanager restore-secret --secret-id coffer/app --region eu-west-1',
    );
    expect(explained.title).toBe('The secret coffer/app is scheduled for deletion');
  });

  it('no mount: the enable command for the engine path’s mount', () => {
    expect(explain(vaultToken, 'no-mount').command).toBe('vault secrets enable -path=kv kv-v2');
  });

  it('unreachable: the address, and the self-signed certificate case', () => {
    const explained = explain(vaultToken, 'unreachable');
    expect(explained.title).toBe('Nothing answered at https://vault.example.com:8200');
    expect(explained.body.join(' ')).toContain('self-signed');
  });
});

describe('explainProviderError: other errors', () => {
  it('explains a remote conflict without a reason', () => {
    const explained = explainProviderError(
      new RemoteConflictError('hashicorp', 'app', asRemoteVersion('3'), asRemoteVersion('4')),
      { settings: vaultToken, pageOrigin: ORIGIN },
    );
    expect(explained.title).toBe('The remote secret changed meanwhile');
  });

  it('tells provider failures from other errors', () => {
    expect(isProviderFailure(failure(aws, 'auth'))).toBe(true);
    expect(isProviderFailure(new Error('x'))).toBe(false);
    expect(isProviderFailure({ provider: 'aws', reason: 'nope', operation: 'x' })).toBe(false);
    expect(isProviderFailure(null)).toBe(false);
  });
});

describe('explainProviderError: token self-calls', () => {
  it('names the capability a token needs on itself', () => {
    const at = (operation: string) =>
      explainProviderError(new ProviderError('hashicorp', 'forbidden', operation), {
        settings: vaultToken,
        pageOrigin: ORIGIN,
      }).title;
    expect(at('lookup-self')).toBe('The policy does not allow read on auth/token/lookup-self');
    expect(at('renew-self')).toBe('The policy does not allow update on auth/token/renew-self');
    expect(at('something new')).toBe('Vault denied this request (permission denied)');
  });
});
