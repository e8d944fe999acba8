import { createSignal, Show } from 'solid-js';
import type { IntegrationField } from '../../core/integrations';
import type { VaultId } from '../../core/profile';
import type { FailedConnection } from '../state/integration-auth';
import type { IntegrationEditor } from '../state/integration-editor';
import { ConnectionDialog } from './ConnectionDialog';
import { IntegrationsRunView } from './IntegrationsRunView';

/**
 * Run and Cancel run, what running means (the page sends the request: CORS), and the run going
 * on or the last one run here; a run stopped by a connection's empty credentials opens "Fill in"
 * here, and says when they are saved, so the user can run again.
 */
export function IntegrationsRunPanel(props: {
  editor: IntegrationEditor;
  onJump: (hook: 'before' | 'after', line: number) => void;
  onField: (field: IntegrationField) => void;
  onPermissions: (vault: VaultId | undefined) => void;
}) {
  let section!: HTMLElement;
  const [filling, setFilling] = createSignal<FailedConnection | undefined>();
  // The connection filled in since the last run, for "run again".
  const [filled, setFilled] = createSignal<string | undefined>();
  const run = () => {
    setFilled(undefined);
    void props.editor.run();
    queueMicrotask(() => section.scrollIntoView?.({ block: 'nearest' }));
  };
  // The picker knows the connection's type (and vault name) when the integration may read it.
  const listed = (connection: FailedConnection) =>
    props.editor
      .connections()
      .find((choice) => choice.vault === connection.vault && choice.name === connection.name);
  return (
    <section ref={section} class="run-panel" aria-labelledby="integration-run-title">
      <h3 id="integration-run-title">Run</h3>
      <div class="button-row">
        <button
          type="button"
          disabled={props.editor.running() || props.editor.draft() === undefined}
          onClick={run}
        >
          Run
        </button>
        <Show when={props.editor.running()}>
          <button type="button" class="secondary" onClick={() => props.editor.cancel()}>
            Cancel run
          </button>
        </Show>
      </div>
      <p class="hint">
        Unsaved changes are saved first. Requests are sent by this page: the API must allow this
        page's origin (CORS), or the browser withholds the response.
      </p>
      <Show when={props.editor.runError()}>
        {(message) => (
          <p class="error-text" role="alert">
            {message()}
          </p>
        )}
      </Show>
      <p class="settings-status" role="status">
        {filled() === undefined ? '' : `${filled()} is filled in. Run again to use it.`}
      </p>
      <Show when={props.editor.progress()}>
        {(progress) => (
          <IntegrationsRunView
            run={progress()}
            running={props.editor.running()}
            onJump={props.onJump}
            onField={props.onField}
            onPermissions={props.onPermissions}
            onFillIn={setFilling}
          />
        )}
      </Show>
      <Show when={filling()}>
        {(connection) => (
          <ConnectionDialog
            mode="fill"
            name={connection().name}
            vaultName={listed(connection())?.vaultName}
            type={listed(connection())?.type}
            missing={connection().missing}
            onClose={() => setFilling(undefined)}
            onFill={async (fields) => {
              const { vault, name } = connection();
              await props.editor.fillConnection(vault, name, fields);
              setFilling(undefined);
              setFilled(name);
            }}
          />
        )}
      </Show>
    </section>
  );
}
