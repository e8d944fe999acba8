import { createUniqueId } from 'solid-js';

/**
 * The question asked before values of a memory-only vault would leave this device's memory for
 * good (stopping sync, turning memory only off): keep a local copy, or not. Names only.
 */
export function VaultProviderKeepCopy(props: {
  /** What is about to happen, as a question ("Stop syncing this vault?"). */
  question: string;
  /** What happens without a copy. */
  withoutCopy: string;
  busy: boolean;
  onAnswer: (keepLocalCopy: boolean) => void;
  onCancel: () => void;
}) {
  const titleId = createUniqueId();
  return (
    <section class="notice warning vp-question" aria-labelledby={titleId}>
      <p id={titleId}>
        <strong>{props.question}</strong> Keep a local copy of the values on this device?
      </p>
      <ul>
        <li>
          A local copy is saved in this vault, encrypted like every vault, and stays after you lock.
        </li>
        <li>Without one, only the names stay on this device; the values stay in the provider.</li>
      </ul>
      <div class="button-row">
        <button type="button" class="secondary" onClick={() => props.onCancel()}>
          Cancel
        </button>
        <button
          type="button"
          class="secondary"
          disabled={props.busy}
          onClick={() => props.onAnswer(false)}
        >
          No copy here
        </button>
        <button type="button" disabled={props.busy} onClick={() => props.onAnswer(true)}>
          Keep a local copy
        </button>
      </div>
    </section>
  );
}
