import type { JSX } from 'solid-js';

/**
 * One item of a sidebar's navigation list (`ul.nav-list`): a button that shows something,
 * marked as the current page while that is what shows. `title` gives a cut-off name in full.
 */
export function NavItem(props: {
  current: boolean;
  title?: string;
  onSelect: () => void;
  children: JSX.Element;
}) {
  return (
    <li>
      <button
        type="button"
        aria-current={props.current ? 'page' : undefined}
        title={props.title}
        onClick={() => props.onSelect()}
      >
        {props.children}
      </button>
    </li>
  );
}
