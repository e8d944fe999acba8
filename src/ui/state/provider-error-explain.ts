import {
  AWS_CORS_HEADERS,
  type Draft,
  type ProviderErrorContext,
  type ProviderFailureInfo,
} from './provider-error-types';
import {
  AWS_SKEW_MINUTES,
  clockText,
  mountAndPrefix,
  providerName,
  targetOf,
} from './provider-error-words';
import { awsIamPolicy, hashicorpNeed, hashicorpPolicy } from './provider-policies';

export function explainCors(
  info: ProviderFailureInfo,
  context: ProviderErrorContext,
  target: string,
): Draft {
  const origin = context.pageOrigin;
  const settings = context.settings;
  if (info.provider === 'hashicorp') {
    const command = `vault write sys/config/cors enabled=true allowed_origins="${origin}"`;
    const curl = `curl -X POST -H "X-Vault-Token: $VAULT_TOKEN" -d '{"enabled":true,"allowed_origins":["${origin}"]}' ${target}/v1/sys/config/cors`;
    return {
      title: 'Vault answers, but does not allow this page (CORS)',
      body: [
        `The server at ${target} is up, but it does not send the CORS headers that let a page from ${origin} read its answers, so the browser hid them from Coffer. Vault's CORS is off until an operator turns it on for this origin, with one of the commands below.`,
        `The call needs a token with sudo on sys/config/cors, made in the root namespace (with VAULT_NAMESPACE unset). It replaces the list of allowed origins: if others are allowed already (vault read sys/config/cors), list them all, separated by commas.`,
        `Coffer puts the namespace in the path (/v1/<namespace>/…), so X-Vault-Namespace need not be added to allowed_headers.`,
        `HCP Vault Dedicated customers cannot make this call (the root namespace is HashiCorp's): ask HashiCorp support to allow ${origin}, or use a proxy you run in front of Vault that adds the headers.`,
      ],
      command,
      snippets: [
        { label: 'Command (vault CLI)', text: command },
        { label: 'Command (curl)', text: curl },
      ],
    };
  }
  const headers = AWS_CORS_HEADERS.join(', ');
  const preflight = [
    `Access-Control-Allow-Origin: ${origin}`,
    'Access-Control-Allow-Methods: POST',
    `Access-Control-Allow-Headers: ${headers}`,
  ].join('\n');
  if (settings?.kind === 'aws' && settings.endpoint !== undefined) {
    const localstack = `EXTRA_CORS_ALLOWED_ORIGINS=${origin}`;
    return {
      title: 'The endpoint answers, but does not allow this page (CORS)',
      body: [
        `AWS Secrets Manager itself allows pages in a browser, but requests go to the endpoint override ${target}, which does not let a page from ${origin} read its answers.`,
        `LocalStack: start it with ${localstack} in its environment.`,
        `A proxy or VPC endpoint in front of AWS: it must answer the browser's preflight (OPTIONS) allowing this origin, the POST method and the headers ${headers}.`,
      ],
      command: localstack,
      snippets: [
        { label: 'LocalStack environment', text: localstack },
        { label: 'Preflight answer', text: preflight },
      ],
    };
  }
  return {
    title: 'Something between this browser and AWS refused this page (CORS)',
    body: [
      `AWS Secrets Manager's own endpoints allow pages in a browser, so the answer from ${target} was changed or blocked on the way: a corporate proxy, a firewall that inspects traffic, or a browser extension.`,
      `Whatever sits in between must pass through, or answer, the preflight (OPTIONS) allowing ${origin}, the POST method and the headers ${headers}.`,
    ],
    snippets: [{ label: 'Preflight answer', text: preflight }],
  };
}

export function explainAuth(info: ProviderFailureInfo, context: ProviderErrorContext): Draft {
  const settings = context.settings;
  if (info.provider === 'aws') {
    const withSession = settings?.kind === 'aws' && settings.sessionToken !== undefined;
    return {
      title: 'AWS does not accept this access key',
      body: [
        'The access key ID is wrong, or the key was deactivated or deleted in IAM.',
        withSession
          ? 'Temporary credentials expire (after hours at most): get a new access key ID, secret access key and session token together, and replace all three.'
          : 'Temporary credentials (an access key ID starting with ASIA) need their session token too.',
      ],
      snippets: [],
    };
  }
  const namespace = settings?.kind === 'hashicorp' ? settings.namespace : undefined;
  const inNamespace =
    namespace === undefined
      ? 'HCP Vault and Vault Enterprise keep logins in a namespace (on HCP usually admin): set the Namespace if yours is in one.'
      : `Credentials belong to a namespace: these must be from ${namespace}.`;
  const approle =
    info.operation === 'login' ||
    (settings?.kind === 'hashicorp' && settings.auth.method === 'approle');
  if (approle) {
    const mount =
      settings?.kind === 'hashicorp' && settings.auth.method === 'approle'
        ? (settings.auth.mount ?? 'approle')
        : 'approle';
    const command = `vault write -f auth/${mount}/role/<role-name>/secret-id`;
    return {
      title: 'Vault refused the AppRole login',
      body: [
        `The role ID or secret ID is wrong, or the secret ID has expired or used up its uses (secret_id_ttl, secret_id_num_uses). An operator can make a new secret ID with the command below.`,
        `Check also that AppRole is mounted at auth/${mount}.`,
        inNamespace,
      ],
      command,
      snippets: [{ label: 'Command (new secret ID)', text: command }],
    };
  }
  return {
    title: 'Vault refused the token',
    body: [
      'The token is wrong, expired or revoked (Vault answers the same for all three). Make a new token with a policy for the engine path and replace the saved one.',
      inNamespace,
    ],
    snippets: [],
  };
}

export function explainForbidden(info: ProviderFailureInfo, context: ProviderErrorContext): Draft {
  if (info.provider === 'aws') {
    const region = context.settings?.kind === 'aws' ? context.settings.region : undefined;
    const action = /^[A-Z][A-Za-z]+$/.test(info.operation)
      ? `secretsmanager:${info.operation}`
      : 'this action';
    return {
      title: `AWS denied ${action}`,
      body: [
        `The access key is valid, but its user's or role's policies do not allow ${action}${info.path === undefined ? '' : ` on ${info.path}`}. A secret's own resource policy, a permissions boundary or an organization policy (SCP) can deny it too.`,
        'A policy with what Coffer needs is below, limited to secrets whose names start with your prefix (replace <account-id>, and <prefix> with the start of the secret names Coffer may use, such as team/).',
      ],
      snippets: [{ label: 'IAM policy', text: awsIamPolicy(region) }],
    };
  }
  const need = hashicorpNeed(info.operation, context, info.path);
  const namespace =
    context.settings?.kind === 'hashicorp' && context.settings.namespace !== undefined
      ? ` Write it in the namespace ${context.settings.namespace}.`
      : '';
  const policy = hashicorpPolicy(context);
  return {
    title:
      need === undefined
        ? 'Vault denied this request (permission denied)'
        : `The policy does not allow ${need.capability} on ${need.path}`,
    body: [
      need === undefined
        ? `The token is valid, but its policies do not allow ${info.operation}${info.path === undefined ? '' : ` on ${info.path}`}.`
        : `The token is valid, but none of its policies grants ${need.capability} on ${need.path} (Coffer was doing: ${info.operation}${info.path === undefined ? '' : ` of ${info.path}`}).`,
      `A policy with what Coffer needs under the engine path, and nothing else, is below: save it with vault policy write coffer coffer.hcl and attach it to the token or the AppRole role.${namespace}`,
    ],
    snippets: [{ label: 'Vault policy (coffer.hcl)', text: policy }],
  };
}

export function explain(info: ProviderFailureInfo, context: ProviderErrorContext): Draft {
  const settings = context.settings;
  const target = targetOf(info, settings);
  const name = providerName(info.provider);
  const enginePath = settings?.kind === 'hashicorp' ? settings.enginePath : undefined;
  const namespace = settings?.kind === 'hashicorp' ? settings.namespace : undefined;
  const region = settings?.kind === 'aws' ? settings.region : undefined;
  switch (info.reason) {
    case 'unreachable':
      return {
        title: `Nothing answered at ${target}`,
        body: [
          'Check the address and port, that the server is running, and that this device can reach it (VPN, firewall, DNS).',
          `A server with a self-signed certificate looks the same to the page, because the browser refuses the certificate silently: open ${target} once in this browser and accept it, or install your CA in the system.`,
          'If the browser asked whether this site may reach devices on your local network, allow it.',
        ],
        snippets: [],
      };
    case 'cors':
      return explainCors(info, context, target);
    case 'mixed-content':
      return {
        title: 'The browser blocks http calls from this https page',
        body: [
          `This page (${context.pageOrigin}) is served over https, and ${target} is plain http: the browser refuses to call it (mixed content), so nothing was sent.`,
          'Use an https address for the server (put TLS in front of it), or run Coffer itself over http on localhost.',
        ],
        snippets: [],
      };
    case 'auth':
      return explainAuth(info, context);
    case 'forbidden':
      return explainForbidden(info, context);
    case 'no-mount': {
      const { mount } = mountAndPrefix(context);
      const command = `vault secrets enable -path=${mount} kv-v2`;
      return {
        title: `No KV secrets engine at ${enginePath ?? mount}`,
        body: [
          `Vault has no secrets engine mounted at ${enginePath ?? mount}${namespace === undefined ? '' : ` in the namespace ${namespace}`}, or the token may not see it. Check the engine path (vault secrets list), or ask an operator to enable one with the command below.`,
        ],
        command,
        snippets: [{ label: 'Command (enable a KV v2 engine)', text: command }],
      };
    }
    case 'not-kv':
      return {
        title: `${enginePath ?? 'The engine path'} is not a KV secrets engine`,
        body: [
          'Coffer keeps vaults in KV secrets engines (version 1 or 2), and the mount at this path is another kind. Give the path of a KV mount (vault secrets list shows their types).',
        ],
        snippets: [],
      };
    case 'region':
      return {
        title: `AWS does not accept the region ${region ?? ''}`.trimEnd(),
        body: [
          'Check the region code (such as eu-west-1): it must be a region where your account uses Secrets Manager.',
          settings?.kind === 'aws' && settings.endpoint !== undefined
            ? `With an endpoint override, the region must also be the one ${settings.endpoint} serves.`
            : 'Keys of the China or GovCloud partitions work only in their own regions.',
        ],
        snippets: [],
      };
    case 'signature':
      return {
        title: 'AWS did not accept the signature',
        body: [
          'The secret access key does not belong to this access key ID. Paste it again (Replace): a missing character at an end is the usual cause.',
        ],
        snippets: [],
      };
    case 'clock-skew': {
      const now = context.now ?? Date.now();
      return {
        title: "This device's clock is too far from AWS's",
        body: [
          `This device's clock says ${clockText(now)}. AWS refuses requests signed more than ${AWS_SKEW_MINUTES} minutes away from its own time.`,
          "Set this device's date, time and time zone to update automatically, then try again.",
        ],
        snippets: [],
      };
    }
    case 'scheduled-for-deletion': {
      const path = info.path ?? '<secret-name>';
      const command = `aws secretsmanager restore-secret --secret-id ${path}${region === undefined ? '' : ` --region ${region}`}`;
      return {
        title: `The secret ${info.path ?? ''} is scheduled for deletion`.replace('  ', ' '),
        body: [
          'AWS keeps a deleted secret during its recovery window (7 to 30 days) and refuses to read, write or re-create it by that name until the window ends. Restore it (the vault’s Restore, or the command below), or use another path.',
        ],
        command,
        snippets: [{ label: 'Command (AWS CLI)', text: command }],
      };
    }
    case 'not-an-object':
      return {
        title: `${info.path === undefined ? 'A secret' : `The secret ${info.path}`} is not a JSON object`,
        body: [
          'Coffer maps a remote secret to a vault when its value is a JSON object of KEY: value. This one holds something else (plain text, binary or a list), so it was left alone.',
        ],
        snippets: [],
      };
    case 'throttled':
      return {
        title: `${name} is limiting requests`,
        body: ['Too many requests in a short time (rate limit). Wait a minute and try again.'],
        snippets: [],
      };
    case 'server':
      return {
        title: `${name} failed on its side`,
        body: [
          info.provider === 'hashicorp'
            ? 'Vault answered with a server error. A sealed Vault, or a standby node, answers 503: vault status shows it, and an operator unseals it. Try again later.'
            : 'AWS answered with a server error. Try again in a moment.',
        ],
        snippets: [],
      };
    case 'timeout':
      return {
        title: `${name} did not answer in time`,
        body: [
          `No answer came from ${target} within 30 seconds, or the request was cancelled. Check the network and that the server is not overloaded, then try again.`,
        ],
        snippets: [],
      };
    case 'refused':
      return {
        title: `${name} refused the request`,
        body: [
          info.detail === undefined
            ? `It gave no reason${info.status === undefined ? '' : ` (HTTP ${info.status})`}.`
            : 'Its words are below.',
        ],
        snippets: [],
      };
  }
}
