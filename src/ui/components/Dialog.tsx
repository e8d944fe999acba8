import { createEffect, type JSX, onCleanup, Show } from 'solid-js';

/**
 * A modal dialog on the native <dialog> element: the browser traps focus, Escape closes it,
 * and the rest of the page is inert while it is open.
 */
export function Dialog(props: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: JSX.Element;
  /** Buttons, right-aligned under the content. */
  actions?: JSX.Element;
  class?: string;
}) {
  let element!: HTMLDialogElement;
  const titleId = `dialog-title-${Math.random().toString(36).slice(2)}`;
  createEffect(() => {
    if (props.open && !element.open) element.showModal();
    else if (!props.open && element.open) element.close();
  });
  onCleanup(() => {
    if (element?.open) element.close();
  });
  return (
    <dialog
      ref={element}
      class={`dialog ${props.class ?? ''}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <Show when={props.open}>
        <h2 id={titleId} class="dialog-title">
          {props.title}
        </h2>
        <div class="dialog-body">{props.children}</div>
        <Show when={props.actions}>
          <div class="dialog-actions">{props.actions}</div>
        </Show>
      </Show>
    </dialog>
  );
}
