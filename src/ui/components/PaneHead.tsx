import { createSignal, createUniqueId, type JSX, Show } from 'solid-js';

/**
 * The head of a pane for one thing (a vault, an integration): its name as the pane's heading,
 * and its actions behind one toggle button (`actionsLabel`, also the name of the section the
 * actions open in). `badge` sits between the two.
 */
export function PaneHead(props: {
  /** The heading's id, for the pane's aria-labelledby. */
  titleId: string;
  name: string;
  actionsLabel: string;
  badge?: JSX.Element;
  /** The actions, shown when the button is pressed. */
  children: JSX.Element;
}) {
  const actionsId = createUniqueId();
  const [actionsOpen, setActionsOpen] = createSignal(false);
  return (
    <>
      <div class="vault-pane-head">
        <h2 id={props.titleId} class="truncate" title={props.name}>
          {props.name}
        </h2>
        {props.badge}
        <button
          type="button"
          class="secondary small"
          aria-expanded={actionsOpen()}
          aria-controls={actionsId}
          onClick={() => setActionsOpen(!actionsOpen())}
        >
          {props.actionsLabel}
        </button>
      </div>
      <Show when={actionsOpen()}>
        <section id={actionsId} class="vault-actions" aria-label={props.actionsLabel}>
          {props.children}
        </section>
      </Show>
    </>
  );
}
