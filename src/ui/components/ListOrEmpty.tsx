import { type JSX, Show } from 'solid-js';

/**
 * A list (or table) of things that load: the list while it has something, otherwise, once it is
 * `ready` (loaded, and not failed), the `empty` line saying there is nothing yet. Before that,
 * nothing, so "nothing yet" never flashes while the list is still loading.
 */
export function ListOrEmpty(props: {
  /** How many things there are. */
  count: number;
  /** Whether an empty list really is empty (loaded without a failure). */
  ready: boolean;
  empty: JSX.Element;
  children: JSX.Element;
}) {
  return (
    <Show when={props.count > 0} fallback={<Show when={props.ready}>{props.empty}</Show>}>
      {props.children}
    </Show>
  );
}
