/**
 * How the integrations state reaches core: `session.integrations` is read at each call (it is
 * undefined while no session is open), and a call without it rejects with one plain message.
 * Every piece of the integrations area (integrations.ts and the integration-*.ts modules it
 * composes) goes through `requireApi`, so they all fail the same way.
 */
import type { IntegrationsApi } from '../../core/integrations';

/** Where the integrations api is read from, at each call; undefined while it is not there. */
export type IntegrationsApiSource = () => IntegrationsApi | undefined;

/** The api from `source`, or an error saying integrations are not available. */
export function requireApi(source: IntegrationsApiSource): () => IntegrationsApi {
  return () => {
    const found = source();
    if (found === undefined) throw new Error('integrations are not available');
    return found;
  };
}
