import { Index, Show } from 'solid-js';
import type { PageButton, PageWindow } from '../state/vault-view';

/** Previous / numbered / Next page buttons and a "Page 2 of 4" status, under the entry list. */
export function VaultPagination(props: {
  window: PageWindow;
  buttons: readonly PageButton[];
  onGo: (page: number) => void;
}) {
  return (
    <Show when={props.window.pageCount > 1}>
      <nav class="pagination" aria-label="Pages">
        <button
          type="button"
          class="secondary small"
          aria-label="Previous page"
          disabled={props.window.page <= 1}
          onClick={() => props.onGo(props.window.page - 1)}
        >
          <span aria-hidden="true">←</span>
        </button>
        <Index each={props.buttons}>
          {(button) => (
            <Show
              when={typeof button() === 'number' ? (button() as number) : undefined}
              fallback={
                <span class="page-gap" aria-hidden="true">
                  …
                </span>
              }
            >
              {(page) => (
                <button
                  type="button"
                  class="secondary small"
                  aria-label={`Page ${page()}`}
                  aria-current={page() === props.window.page ? 'page' : undefined}
                  onClick={() => props.onGo(page())}
                >
                  {page()}
                </button>
              )}
            </Show>
          )}
        </Index>
        <button
          type="button"
          class="secondary small"
          aria-label="Next page"
          disabled={props.window.page >= props.window.pageCount}
          onClick={() => props.onGo(props.window.page + 1)}
        >
          <span aria-hidden="true">→</span>
        </button>
        <p class="pagination-status muted" role="status">
          Page {props.window.page} of {props.window.pageCount}
        </p>
      </nav>
    </Show>
  );
}
