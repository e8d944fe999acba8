import { Show } from 'solid-js';
import type { IntegrationField } from '../../core/integrations';
import type { VaultId } from '../../core/profile';
import type { IntegrationEditor } from '../state/integration-editor';
import { IntegrationsRunView } from './IntegrationsRunView';

/**
 * Run and Cancel run, what running means (the page sends the request: CORS), and the run going
 * on or the last one run here.
 */
export function IntegrationsRunPanel(props: {
  editor: IntegrationEditor;
  onJump: (hook: 'before' | 'after', line: number) => void;
  onField: (field: IntegrationField) => void;
  onPermissions: (vault: VaultId | undefined) => void;
}) {
  let section!: HTMLElement;
  const run = () => {
    void props.editor.run();
    queueMicrotask(() => section.scrollIntoView?.({ block: 'nearest' }));
  };
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
      <Show when={props.editor.progress()}>
        {(progress) => (
          <IntegrationsRunView
            run={progress()}
            running={props.editor.running()}
            onJump={props.onJump}
            onField={props.onField}
            onPermissions={props.onPermissions}
          />
        )}
      </Show>
    </section>
  );
}
