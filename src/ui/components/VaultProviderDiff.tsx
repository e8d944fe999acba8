import { For, Show } from 'solid-js';
import { describeDiff } from '../state/vault-provider-text';
import type { LinkChoice, LinkDiff } from '../state/vault-provider-types';

/**
 * The difference between this vault and the remote secret at a first link, by name and count
 * (never a value), and the two ways to link: keep this vault's values or the remote's.
 */
export function VaultProviderDiff(props: {
  diff: LinkDiff;
  path: string;
  busy: boolean;
  onChoose: (choice: LinkChoice) => void;
  onCancel: () => void;
}) {
  const described = () => describeDiff(props.diff);
  return (
    <section class="notice warning vp-diff" aria-labelledby="vp-diff-title">
      <h3 id="vp-diff-title">
        Both this vault and <span class="mono">{props.path}</span> have keys
      </h3>
      <dl class="vp-diff-rows">
        <For each={described().rows}>
          {(row) => (
            <>
              <dt>{row.label}</dt>
              <dd>
                <Show when={row.names.length > 0} fallback={<span class="muted">none</span>}>
                  <ul class="vp-names">
                    <For each={row.names}>{(name) => <li class="mono">{name}</li>}</For>
                  </ul>
                </Show>
              </dd>
            </>
          )}
        </For>
      </dl>
      <p>{described().sentence}</p>
      <div class="button-row">
        <button type="button" class="secondary" onClick={() => props.onCancel()}>
          Cancel
        </button>
        <button
          type="button"
          class="secondary"
          disabled={props.busy}
          onClick={() => props.onChoose('keep-remote')}
        >
          Keep the remote's values
        </button>
        <button type="button" disabled={props.busy} onClick={() => props.onChoose('keep-local')}>
          Keep this vault's values
        </button>
      </div>
    </section>
  );
}
