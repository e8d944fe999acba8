import { createSignal, For, Show } from 'solid-js';
import { describeDamage, readableCount } from '../state/damage';
import type { OpenVault } from '../state/open-vault';
import type { VaultsState } from '../state/vaults';
import { VaultNameDialog } from './VaultNameDialog';

/**
 * What an opened vault with damaged records says: which records, how many entries could be
 * read, that nothing was changed or thrown away, and what the user can do. Until they choose
 * "Edit anyway", changes to entries are held back, so nothing new buries the damaged part.
 */
export function VaultDamageNotice(props: { vault: OpenVault; vaults: VaultsState }) {
  const [copying, setCopying] = createSignal(false);
  const [copied, setCopied] = createSignal<string | undefined>();
  const lines = () => describeDamage(props.vault.damaged);
  const otherDevices = () =>
    (props.vault.sync?.devices().filter((device) => device.revokedAfterSeq === undefined).length ??
      0) > 1;

  return (
    <section class="notice danger damage-notice" role="alert" aria-label="Damaged vault">
      <p>
        <strong>Part of this vault could not be read.</strong>{' '}
        {readableCount(props.vault.entries().length)}
      </p>
      <ul>
        <For each={lines()}>{(line) => <li>{line}</li>}</For>
      </ul>
      <p>
        Nothing was changed or thrown away: the damaged records are kept exactly as they are.
        <Show when={props.vault.writesHeld()}>
          {' '}
          Changes to entries are held back until you choose what to do, so nothing new is written
          over the missing part.
        </Show>
      </p>
      <p>What you can do:</p>
      <ul>
        <li>
          <Show
            when={otherDevices()}
            fallback={
              <>
                If another device has this vault, open it there while it is open here: sync brings
                back what it has.
              </>
            }
          >
            Open this vault on another of its devices while it is open here: sync brings back what
            it has.
          </Show>
        </li>
        <li>Copy what could be read into a new vault, and keep working there.</li>
        <li>Or edit this vault as it is: the damaged records stay stored beside your changes.</li>
      </ul>
      <Show when={copied()}>
        {(name) => (
          <p class="notice ok" role="status">
            Copied into the new vault “{name()}”. This vault was not changed.
          </p>
        )}
      </Show>
      <div class="button-row">
        <button type="button" class="secondary" onClick={() => setCopying(true)}>
          Copy into a new vault…
        </button>
        <Show when={props.vault.writesHeld()}>
          <button type="button" class="secondary" onClick={() => props.vault.acceptDamage()}>
            Edit anyway
          </button>
        </Show>
      </div>
      <Show when={copying()}>
        <VaultNameDialog
          open
          title="Copy into a new vault"
          submitLabel="Copy"
          existing={props.vaults.vaults()}
          onClose={() => setCopying(false)}
          onSubmit={async (name) => {
            const created = await props.vault.copyReadableInto(name);
            await props.vaults.refresh();
            setCopying(false);
            setCopied(created.name);
          }}
        />
      </Show>
    </section>
  );
}
