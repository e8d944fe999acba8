import { createResource, Show } from 'solid-js';
import { estimateStrength, minimumScore } from '../state/strength';

/** A strength meter for a new passphrase (zxcvbn-ts), with its advice. */
export function PassphraseStrength(props: { passphrase: string; id: string }) {
  const [strength] = createResource(
    () => props.passphrase || undefined,
    (passphrase) => estimateStrength(passphrase),
  );
  return (
    <div class="strength" id={props.id} aria-live="polite">
      <Show when={props.passphrase ? strength() : undefined}>
        {(s) => (
          <>
            <meter
              class="strength-meter"
              min="0"
              max="4"
              low="2"
              high="3"
              optimum="4"
              value={s().score}
              aria-label="Passphrase strength"
            >
              {s().label}
            </meter>
            <span class={s().score >= minimumScore ? 'hint' : 'error-text'}>
              {s().label}: a slow offline attack would take {s().crackTime}.
            </span>
            <Show when={s().feedback.length > 0}>
              <ul class="hint strength-advice">
                {s().feedback.map((line) => (
                  <li>{line}</li>
                ))}
              </ul>
            </Show>
          </>
        )}
      </Show>
    </div>
  );
}
