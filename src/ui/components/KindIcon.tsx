import { Match, Switch } from 'solid-js';
import type { EntryKind } from '../../core/vault';

/**
 * The icon of an entry kind, drawn as SVG so it never depends on an emoji font (Linux browsers
 * often have none). Decorative: the surrounding element carries the accessible label.
 */
export function KindIcon(props: { kind: EntryKind }) {
  return (
    <svg
      class="kind-svg"
      viewBox="0 0 24 24"
      width="20"
      height="20"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      stroke-width="1.8"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      <Switch>
        <Match when={props.kind === 'secret'}>
          <circle cx="8" cy="15" r="4" />
          <path d="M11 12l8-8M16 7l2 2M14 9l2 2" />
        </Match>
        <Match when={props.kind === 'connection'}>
          <path d="M9 7V3M15 7V3M7 7h10v4a5 5 0 0 1-10 0z" />
          <path d="M12 16v5" />
        </Match>
        <Match when={props.kind === 'item'}>
          <path d="M6 3h8l4 4v14H6z" />
          <path d="M14 3v4h4M9 12h6M9 16h6" />
        </Match>
      </Switch>
    </svg>
  );
}
