import { Show } from 'solid-js';

/**
 * A failure to announce: a paragraph with role "alert" while there is a message, nothing
 * otherwise. `class` replaces the usual "error-text" look (a pane's notice, for instance).
 */
export function ErrorAlert(props: { message: string | undefined; class?: string }) {
  return (
    <Show when={props.message}>
      {(message) => (
        <p class={props.class ?? 'error-text'} role="alert">
          {message()}
        </p>
      )}
    </Show>
  );
}
