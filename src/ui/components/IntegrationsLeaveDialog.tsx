import { Dialog } from './Dialog';
import { ErrorAlert } from './ErrorAlert';

/** Asks what to do with unsaved changes to an integration before leaving it. */
export function IntegrationsLeaveDialog(props: {
  name: string;
  saving: boolean;
  error: string | undefined;
  onStay: () => void;
  onDiscard: () => void;
  onSave: () => Promise<void>;
}) {
  return (
    <Dialog
      open
      title="Unsaved changes"
      onClose={props.onStay}
      actions={
        <>
          <button type="button" class="secondary" onClick={() => props.onStay()} autofocus>
            Keep editing
          </button>
          <button type="button" class="secondary" onClick={() => props.onDiscard()}>
            Discard changes
          </button>
          <button type="button" disabled={props.saving} onClick={() => void props.onSave()}>
            Save and leave
          </button>
        </>
      }
    >
      <p>
        The integration <strong class="vault-name-literal">{props.name}</strong> has changes that
        are not saved.
      </p>
      <ErrorAlert message={props.error} />
    </Dialog>
  );
}
