/**
 * The vault permissions (grants) of the permissions view: which integration may read, or read
 * and write, which vault; loaded from core, set and removed there, and reloaded after each
 * change. Who else must hear of a change (the editors' checks and suggestions) is told.
 */
import { type Accessor, batch, createSignal } from 'solid-js';
import type { IntegrationId, VaultId } from '../../core/ids';
import type { Grant, GrantAccess } from '../../core/integrations';
import { describeError } from './error-text';
import { type IntegrationsApiSource, requireApi } from './integration-api';

/** What a grant lets an integration do with a vault, in words. */
export const grantAccessLabels: Readonly<Record<GrantAccess, string>> = {
  read: 'Read',
  'read-write': 'Read and write',
};

/** The grants of the profile's integrations. */
export interface GrantsState {
  readonly grants: Accessor<readonly Grant[]>;
  readonly loaded: Accessor<boolean>;
  readonly error: Accessor<string | undefined>;
  refresh(): Promise<void>;
  /** Sets `grant`; rejects (with core's error) when it could not be set. */
  set(grant: Grant): Promise<void>;
  /** Removes what `integration` may do with `vault`; rejects when it could not. */
  remove(integration: IntegrationId, vault: VaultId): Promise<void>;
}

/** `changed` is told after a grant is set or removed and the list reloaded. */
export function createGrantsState(api: IntegrationsApiSource, changed: () => void): GrantsState {
  const need = requireApi(api);
  const [grants, setGrants] = createSignal<readonly Grant[]>([]);
  const [loaded, setLoaded] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();

  async function refresh(): Promise<void> {
    try {
      const found = await need().grants();
      batch(() => {
        setGrants(found);
        setError(undefined);
      });
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setLoaded(true);
    }
  }

  return {
    grants,
    loaded,
    error,
    refresh,
    async set(grant) {
      await need().setGrant(grant);
      await refresh();
      changed();
    },
    async remove(integration, vault) {
      await need().removeGrant(integration, vault);
      await refresh();
      changed();
    },
  };
}
