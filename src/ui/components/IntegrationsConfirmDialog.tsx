import { createSignal, type JSX } from 'solid-js';
import { describeIntegrationError } from '../state/integrations';
import { Dialog } from './Dialog';
import { ErrorAlert } from './ErrorAlert';

/**
 * Asks before something that cannot be undone (deleting an integration, clearing its run
 * history). The confirm button says what it does; a failure is shown and the dialog stays.
 */
export function IntegrationsConfirmDialog(props: {
  title: string;
  confirmLabel: string;
  children: JSX.Element;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const [failure, setFailure] = createSignal<string | undefined>();
  const [busy, setBusy] = createSignal(false);
  const confirm = async () => {
    if (busy()) return;
    setBusy(true);
    setFailure(undefined);
    try {
      await props.onConfirm();
    } catch (error) {
      setFailure(describeIntegrationError(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open
      title={props.title}
      onClose={props.onClose}
      actions={
        <>
          <button type="button" class="secondary" onClick={() => props.onClose()} autofocus>
            Cancel
          </button>
          <button type="button" class="danger" disabled={busy()} onClick={() => void confirm()}>
            {props.confirmLabel}
          </button>
        </>
      }
    >
      {props.children}
      <ErrorAlert message={failure()} />
    </Dialog>
  );
}
