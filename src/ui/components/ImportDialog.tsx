import { For, Match, Show, Switch } from 'solid-js';
import { createImportFlow, type ImportTarget, plannedCount } from '../state/import';
import { Dialog } from './Dialog';
import { ImportFileOptions } from './ImportFileOptions';
import { ImportPreviewView } from './ImportPreviewView';
import { ImportProgressBar } from './ImportProgressBar';

/**
 * Importing a file into the open vault: choose the file and how to read it, see the preview
 * (nothing is written until Import is pressed), then one all-or-nothing write with a progress
 * bar, and a summary. Errors name the file's line or record.
 */
export function ImportDialog(props: {
  target: ImportTarget;
  vaultName: string;
  onClose: () => void;
}) {
  const flow = createImportFlow(props.target);
  const busy = () => flow.step() === 'working' || flow.step() === 'importing';
  return (
    <Dialog
      open
      title={`Import into ${props.vaultName}`}
      onClose={() => (busy() ? flow.cancel() : props.onClose())}
    >
      <Switch>
        <Match when={flow.step() === 'done' && flow.summary()}>
          {(summary) => (
            <div class="notice ok" role="status">
              <p>
                Imported: {summary().created} new, {summary().overwritten} overwritten,{' '}
                {summary().skipped} skipped
                {summary().refused > 0 ? `, ${summary().refused} refused` : ''}.
              </p>
              <For each={summary().keptBoth}>
                {(kept) => (
                  <p>
                    <code>{kept.name}</code> was kept; the imported one is{' '}
                    <code>{kept.renamedTo}</code>.
                  </p>
                )}
              </For>
            </div>
          )}
        </Match>
        <Match when={flow.step() !== 'done'}>
          <Show when={flow.step() === 'choose' || flow.step() === 'working'}>
            <ImportFileOptions flow={flow} />
          </Show>
          <Show when={flow.preview() && flow.step() !== 'working'}>
            <ImportPreviewView flow={flow} />
          </Show>
          <ImportProgressBar progress={flow.progress()} />
        </Match>
      </Switch>
      <Show when={flow.error()}>
        {(message) => (
          <p class="error-text" role="alert">
            {message()}
          </p>
        )}
      </Show>
      <div class="dialog-actions">
        <Show
          when={flow.step() !== 'done'}
          fallback={
            <button type="button" onClick={() => props.onClose()}>
              Done
            </button>
          }
        >
          <button
            type="button"
            class="secondary"
            onClick={() => (busy() ? flow.cancel() : props.onClose())}
          >
            Cancel
          </button>
          <Show
            when={flow.preview() && flow.step() !== 'working'}
            fallback={
              <button
                type="button"
                disabled={!flow.file() || busy()}
                onClick={() => void flow.makePreview()}
              >
                Preview
              </button>
            }
          >
            <button
              type="button"
              disabled={busy() || plannedCount(flow) === 0}
              onClick={() => void flow.runImport()}
            >
              Import {plannedCount(flow)} {plannedCount(flow) === 1 ? 'entry' : 'entries'}
            </button>
          </Show>
        </Show>
      </div>
    </Dialog>
  );
}
