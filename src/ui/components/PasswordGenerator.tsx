import { createEffect, createSignal, on, Show } from 'solid-js';
import {
  defaultPasswordOptions,
  generatePassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  type PasswordOptions,
  passwordEntropyBits,
  passwordOptionsProblem,
} from '../state/password-generator';
import '../styles/entries.css';

/**
 * Makes a random password (crypto.getRandomValues, rejection sampling) from a length and the
 * character sets to use. The candidate stays masked like any secret until "Show"; "Use this
 * password" hands it to the secret field.
 */
export function PasswordGenerator(props: { id: string; onUse: (password: string) => void }) {
  const [options, setOptions] = createSignal<PasswordOptions>(defaultPasswordOptions);
  const [lengthText, setLengthText] = createSignal(String(defaultPasswordOptions.length));
  const [candidate, setCandidate] = createSignal('');
  const [visible, setVisible] = createSignal(false);
  const problem = () => passwordOptionsProblem(options());
  const regenerate = () => setCandidate(problem() ? '' : generatePassword(options()));
  createEffect(on(options, regenerate));
  const update = (patch: Partial<PasswordOptions>) => setOptions({ ...options(), ...patch });
  const setsChoice = (key: 'letters' | 'digits' | 'symbols', label: string) => (
    <label class="checkbox">
      <input
        type="checkbox"
        checked={options()[key]}
        onChange={(event) => update({ [key]: event.currentTarget.checked })}
      />
      {label}
    </label>
  );
  return (
    <fieldset class="password-generator">
      <legend>Password generator</legend>
      <div class="field">
        <label for={`${props.id}-length`}>Length</label>
        <input
          id={`${props.id}-length`}
          type="number"
          inputmode="numeric"
          min={PASSWORD_MIN_LENGTH}
          max={PASSWORD_MAX_LENGTH}
          value={lengthText()}
          onInput={(event) => {
            setLengthText(event.currentTarget.value);
            update({ length: Number(event.currentTarget.value) });
          }}
          aria-describedby={`${props.id}-status`}
          aria-invalid={problem() ? 'true' : undefined}
        />
      </div>
      <div class="generator-sets">
        {setsChoice('letters', 'Letters (A–Z, a–z)')}
        {setsChoice('digits', 'Digits (0–9)')}
        {setsChoice('symbols', 'Symbols (!#$%…)')}
      </div>
      <div class="field">
        <label for={`${props.id}-candidate`}>Generated password</label>
        <div class="input-with-actions">
          <input
            id={`${props.id}-candidate`}
            type={visible() ? 'text' : 'password'}
            readOnly
            value={candidate()}
            autocomplete="off"
            spellcheck={false}
          />
          <button
            type="button"
            class="secondary"
            aria-pressed={visible()}
            aria-label={`${visible() ? 'Hide' : 'Show'} generated password`}
            onClick={() => setVisible(!visible())}
          >
            {visible() ? 'Hide' : 'Show'}
          </button>
          <button
            type="button"
            class="secondary"
            onClick={regenerate}
            disabled={problem() !== null}
          >
            New
          </button>
        </div>
        <Show
          when={problem()}
          fallback={
            <span id={`${props.id}-status`} class="hint">
              About {passwordEntropyBits(options())} bits of randomness.
            </span>
          }
        >
          <span id={`${props.id}-status`} class="error-text">
            {problem()}
          </span>
        </Show>
      </div>
      <button
        type="button"
        class="secondary"
        disabled={problem() !== null || candidate() === ''}
        onClick={() => props.onUse(candidate())}
      >
        Use this password
      </button>
    </fieldset>
  );
}
