/**
 * The SecretsProvider contract run against the AWS client: on the loopback double (with short
 * and empty ListSecrets pages and namespaced error types, so paging and error parsing are in
 * play), and on a real Secrets Manager or LocalStack when COFFER_AWS_REGION,
 * COFFER_AWS_ACCESS_KEY_ID and COFFER_AWS_SECRET_ACCESS_KEY are set (COFFER_AWS_SESSION_TOKEN
 * and COFFER_AWS_ENDPOINT optional; LocalStack: COFFER_AWS_ENDPOINT=http://localhost:4566, any
 * key id and secret, e.g. `test`).
 */
import { randomUUID } from 'node:crypto';
import { describe, it } from 'vitest';
import { createAwsProvider, validateAwsSettings } from '../../../src/core/providers/aws';
import { secretsProviderContract } from '../../contract/secrets-provider.contract';
import { defaultAwsCredentials, startAwsDouble } from '../../support/aws-double';

secretsProviderContract('aws (double)', async () => {
  const double = await startAwsDouble({ pageSizes: [2, 0, 1], errorTypeStyle: 'namespaced' });
  const settings = validateAwsSettings({
    kind: 'aws',
    region: double.region,
    endpoint: double.url,
    accessKeyId: defaultAwsCredentials.accessKeyId,
    secretAccessKey: defaultAwsCredentials.secretAccessKey,
  });
  let n = 0;
  return {
    provider: createAwsProvider(settings, {
      fetch: globalThis.fetch,
      now: Date.now,
      newToken: randomUUID,
    }),
    freshPath: () => {
      n += 1;
      return `contract/aws/case-${n}`;
    },
    teardown: () => double.close(),
  };
});

const region = process.env.COFFER_AWS_REGION;
const accessKeyId = process.env.COFFER_AWS_ACCESS_KEY_ID;
const secretAccessKey = process.env.COFFER_AWS_SECRET_ACCESS_KEY;
if (region && accessKeyId && secretAccessKey) {
  const run = randomUUID();
  secretsProviderContract(
    'aws (real Secrets Manager or LocalStack from COFFER_AWS_*)',
    async () => {
      const settings = validateAwsSettings({
        kind: 'aws',
        region,
        accessKeyId,
        secretAccessKey,
        ...(process.env.COFFER_AWS_SESSION_TOKEN
          ? { sessionToken: process.env.COFFER_AWS_SESSION_TOKEN }
          : {}),
        ...(process.env.COFFER_AWS_ENDPOINT ? { endpoint: process.env.COFFER_AWS_ENDPOINT } : {}),
      });
      const provider = createAwsProvider(settings, {
        fetch: globalThis.fetch,
        now: Date.now,
        newToken: randomUUID,
      });
      const used: string[] = [];
      return {
        provider,
        freshPath: () => {
          const path = `coffer-contract/${run}/case-${used.length + 1}`;
          used.push(path);
          return path;
        },
        // Force delete: leaves no name held in a recovery window on a shared account.
        teardown: async () => {
          for (const path of used) await provider.destroy(path).catch(() => undefined);
        },
      };
    },
  );
} else {
  describe('aws (real Secrets Manager)', () => {
    it.skip('needs COFFER_AWS_REGION, COFFER_AWS_ACCESS_KEY_ID and COFFER_AWS_SECRET_ACCESS_KEY (optional COFFER_AWS_SESSION_TOKEN, COFFER_AWS_ENDPOINT for LocalStack) to run the contract against a real service', () => {});
  });
}
