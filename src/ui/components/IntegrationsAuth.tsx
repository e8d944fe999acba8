import { createSignal, For, Show } from 'solid-js';
import type { FieldProblem } from '../../core/integrations';
import type { VaultId } from '../../core/profile';
import {
  authFromKey,
  authOf,
  chosenConnection,
  connectionKey,
  connectionOptionLabel,
  groupConnections,
  type RequestAuth,
  withAuth,
} from '../state/integration-auth';
import type { IntegrationEditor } from '../state/integration-editor';
import { ConnectionDialog, type VaultOption } from './ConnectionDialog';
import { IntegrationsProblems } from './IntegrationsProblems';

/**
 * The request's Auth: none, or a connection entry of a vault the integration may read (picked
 * by vault, marked when its credentials are missing), with "+" to create one there and then.
 * The connection's values are never read here: core adds them to the request when it runs.
 */
export function IntegrationsAuth(props: {
  editor: IntegrationEditor;
  /** The id of the connection picker (the control a failure at `{ part: 'auth' }` focuses). */
  id: string;
  problems: readonly FieldProblem[];
  problemsId: string;
  vaults: readonly VaultOption[];
  onPermissions: (vault: VaultId | undefined) => void;
}) {
  const auth = (): RequestAuth => {
    const draft = props.editor.draft();
    return draft === undefined ? { type: 'none' } : authOf(draft);
  };
  // "Connection" chosen while there is none to pick yet: the draft keeps none until one is.
  const [wanted, setWanted] = createSignal(false);
  const [adding, setAdding] = createSignal(false);
  const usesConnection = () => auth().type === 'connection' || wanted();
  const groups = () => groupConnections(props.editor.connections());
  const chosen = () => chosenConnection(auth(), props.editor.connections());
  // Saved before its vault's permission went, or before it was renamed or deleted: it stays
  // selected, and the check says what is wrong.
  const unavailable = () => {
    const current = auth();
    if (current.type !== 'connection' || chosen() !== undefined) return undefined;
    return {
      key: connectionKey(current.vault, current.connection),
      label: `${current.connection} (not available)`,
    };
  };
  const invalid = () => (props.problems.length > 0 ? 'true' : undefined);
  const describedBy = () =>
    `${props.id}-hint${props.problems.length > 0 ? ` ${props.problemsId}` : ''}`;
  const setAuth = (next: RequestAuth) => props.editor.update((draft) => withAuth(draft, next));

  const chooseType = (type: string) => {
    if (type === 'none') {
      setWanted(false);
      if (auth().type !== 'none') setAuth({ type: 'none' });
      return;
    }
    const first = props.editor.connections()[0];
    if (first === undefined) return setWanted(true);
    setWanted(false);
    setAuth({ type: 'connection', vault: first.vault, connection: first.name });
  };

  return (
    <div class="field integration-auth">
      <label for={`${props.id}-type`}>Auth</label>
      <select
        id={`${props.id}-type`}
        data-testid="integration-auth"
        onChange={(event) => chooseType(event.currentTarget.value)}
        aria-describedby={usesConnection() ? undefined : describedBy()}
      >
        <option value="none" selected={!usesConnection()}>
          None
        </option>
        <option value="connection" selected={usesConnection()}>
          Connection
        </option>
      </select>
      <Show when={usesConnection()}>
        <label for={props.id}>Connection</label>
        <div class="input-with-actions">
          <select
            id={props.id}
            aria-invalid={invalid()}
            aria-describedby={describedBy()}
            data-testid="integration-auth-connection"
            // A connection may have arrived by sync, or been added in the vault meanwhile.
            onFocus={() => void props.editor.refreshConnections()}
            onChange={(event) => {
              const next = authFromKey(event.currentTarget.value);
              if (next === undefined) return;
              setWanted(false);
              setAuth(next);
            }}
          >
            <Show when={auth().type === 'none'}>
              <option value="" selected disabled>
                {props.editor.connections().length === 0
                  ? 'No connections yet'
                  : 'Choose a connection'}
              </option>
            </Show>
            <For each={groups()}>
              {(group) => (
                <optgroup label={group.vaultName}>
                  <For each={group.choices}>
                    {(choice) => (
                      <option
                        value={connectionKey(choice.vault, choice.name)}
                        selected={choice === chosen()}
                      >
                        {connectionOptionLabel(choice)}
                      </option>
                    )}
                  </For>
                </optgroup>
              )}
            </For>
            <Show when={unavailable()}>
              {(current) => (
                <option value={current().key} selected>
                  {current().label}
                </option>
              )}
            </Show>
          </select>
          <button
            type="button"
            class="secondary"
            aria-label="New connection"
            title="New connection"
            onClick={() => setAdding(true)}
          >
            +
          </button>
        </div>
      </Show>
      <span id={`${props.id}-hint`} class="hint">
        {usesConnection()
          ? 'Its credentials are added to the request when it runs (an OAuth2 access token is fetched and renewed as needed). Connections come from the vaults this integration may read.'
          : 'Or write credentials into the headers with references.'}
      </span>
      <Show when={props.editor.connectionsError()}>
        {(message) => <span class="error-text">Could not list the connections: {message()}</span>}
      </Show>
      <IntegrationsProblems
        id={props.problemsId}
        problems={props.problems}
        onPermissions={props.onPermissions}
      />
      <Show when={adding()}>
        <ConnectionDialog
          mode="create"
          vaults={props.vaults}
          defaultVault={props.editor.draft()?.defaultVault}
          onClose={() => setAdding(false)}
          onCreate={async (vault, name, value) => {
            await props.editor.addConnection(vault, name, value);
            setWanted(false);
            setAdding(false);
          }}
        />
      </Show>
    </div>
  );
}
