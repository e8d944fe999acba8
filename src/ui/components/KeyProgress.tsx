import { Show } from 'solid-js';

/** Progress of the key derivation (about a second), so a wait never looks like a hang. */
export function KeyProgress(props: { progress: number | null; label: string }) {
  return (
    <Show when={props.progress !== null}>
      <div class="field">
        <progress class="progress" max="1" value={props.progress ?? 0} aria-label={props.label} />
        <span class="hint">{props.label}…</span>
      </div>
    </Show>
  );
}
