/**
 * The run history of one integration as its history tab shows it: the records core kept,
 * newest first, loaded when asked (the tab opening, a run ending), and cleared on request.
 */
import { type Accessor, batch, createSignal } from 'solid-js';
import type { IntegrationId } from '../../core/ids';
import type { RunRecord } from '../../core/integrations';
import { describeError } from './error-text';
import { type IntegrationsApiSource, requireApi } from './integration-api';

/** A run history of one integration, newest first. */
export interface RunHistory {
  readonly runs: Accessor<readonly RunRecord[]>;
  readonly loaded: Accessor<boolean>;
  readonly error: Accessor<string | undefined>;
  refresh(): Promise<void>;
  clear(): Promise<void>;
}

export function createRunHistory(api: IntegrationsApiSource, id: IntegrationId): RunHistory {
  const need = requireApi(api);
  const [runs, setRuns] = createSignal<readonly RunRecord[]>([]);
  const [loaded, setLoaded] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();
  return {
    runs,
    loaded,
    error,
    async refresh() {
      try {
        const records = await need().runs(id);
        batch(() => {
          setRuns([...records].sort((a, b) => b.startedAt - a.startedAt || b.seq - a.seq));
          setError(undefined);
        });
      } catch (caught) {
        setError(describeError(caught));
      } finally {
        setLoaded(true);
      }
    },
    async clear() {
      await need().clearRuns(id);
      setRuns([]);
    },
  };
}
