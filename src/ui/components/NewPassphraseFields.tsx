import { Show } from 'solid-js';
import type { NewPassphraseWords } from '../state/new-passphrase';
import { PassphraseInput } from './PassphraseInput';
import { PassphraseStrength } from './PassphraseStrength';

/**
 * A new passphrase typed twice, with its strength and a mismatch shown as they are typed: the
 * same fields for the profile, a recovery and a backup, in the words the form passes.
 * Controlled: the form that holds it checks (newPassphraseProblem) and clears the values.
 * Ids: `${idPrefix}-passphrase`, `-strength`, `-repeat`, `-repeat-error`.
 */
export function NewPassphraseFields(props: {
  idPrefix: string;
  words: NewPassphraseWords;
  passphrase: string;
  repeat: string;
  onPassphrase: (value: string) => void;
  onRepeat: (value: string) => void;
  autofocus?: boolean;
}) {
  const mismatch = () => props.repeat.length > 0 && props.repeat !== props.passphrase;
  return (
    <>
      <PassphraseInput
        id={`${props.idPrefix}-passphrase`}
        label={props.words.label}
        value={props.passphrase}
        onInput={props.onPassphrase}
        autocomplete="new-password"
        describedBy={`${props.idPrefix}-strength`}
        autofocus={props.autofocus}
      />
      <PassphraseStrength passphrase={props.passphrase} id={`${props.idPrefix}-strength`} />
      <PassphraseInput
        id={`${props.idPrefix}-repeat`}
        label={props.words.repeatLabel}
        value={props.repeat}
        onInput={props.onRepeat}
        autocomplete="new-password"
        describedBy={mismatch() ? `${props.idPrefix}-repeat-error` : undefined}
        invalid={mismatch()}
      />
      <Show when={mismatch()}>
        <span id={`${props.idPrefix}-repeat-error`} class="error-text">
          {props.words.mismatch}
        </span>
      </Show>
    </>
  );
}
