import { Show } from 'solid-js';
import { PassphraseInput } from './PassphraseInput';
import { PassphraseStrength } from './PassphraseStrength';

/**
 * A new backup passphrase typed twice, with its strength shown as on first run. Controlled:
 * the form that holds it checks and clears the values.
 */
export function BackupPassphraseFields(props: {
  idPrefix: string;
  passphrase: string;
  repeat: string;
  onPassphrase: (value: string) => void;
  onRepeat: (value: string) => void;
}) {
  const mismatch = () => props.repeat.length > 0 && props.repeat !== props.passphrase;
  return (
    <>
      <PassphraseInput
        id={`${props.idPrefix}-passphrase`}
        label="Backup passphrase"
        value={props.passphrase}
        onInput={props.onPassphrase}
        autocomplete="new-password"
        describedBy={`${props.idPrefix}-strength`}
      />
      <PassphraseStrength passphrase={props.passphrase} id={`${props.idPrefix}-strength`} />
      <PassphraseInput
        id={`${props.idPrefix}-repeat`}
        label="Repeat backup passphrase"
        value={props.repeat}
        onInput={props.onRepeat}
        autocomplete="new-password"
        describedBy={mismatch() ? `${props.idPrefix}-repeat-error` : undefined}
        invalid={mismatch()}
      />
      <Show when={mismatch()}>
        <span id={`${props.idPrefix}-repeat-error`} class="error-text">
          The two backup passphrases are not the same.
        </span>
      </Show>
    </>
  );
}
