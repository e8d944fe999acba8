import { createEffect, Match, onCleanup, Show, Switch } from 'solid-js';
import type { VaultId } from '../../core/profile';
import { auditRetentionOf } from '../state/audit-view';
import { useServices } from '../state/context';
import { createOpenVault } from '../state/open-vault';
import { createVaultOpener, describeHolder } from '../state/vault-view';
import type { VaultsState } from '../state/vaults';
import { VaultDamageNotice } from './VaultDamageNotice';
import { VaultEntries } from './VaultEntries';
import { VaultSyncBar } from './VaultSyncBar';

/**
 * One stay in one vault: opens it under the single-opener lock, waits (visibly) while another
 * tab has it, and closes it when the user leaves. Renamed in place, it keeps the vault open.
 * A vault with damaged records says so above its entries, and holds writes until the user
 * decides.
 */
export function VaultSession(props: { id: VaultId; vaults: VaultsState }) {
  const { app, sync } = useServices();
  const session = app.session();
  const opener = createVaultOpener({
    session,
    id: props.id,
    // Sync runs in the tab that holds the vault, for as long as it holds it.
    wrap: async (handle) =>
      createOpenVault(
        handle,
        { device: await session.device(), connect: sync.connect, appUrl: sync.appUrl },
        session,
        auditRetentionOf(app.settings()),
        // Called only once the vault is open, so `opener` is set by then.
        (work) => opener.reopen(work),
      ),
  });
  createEffect(() => {
    const state = opener.state();
    props.vaults.setCurrent(state.status === 'open' ? state.vault : undefined);
    if (state.status === 'open') props.vaults.reportDamage(props.id, state.vault.damaged);
  });
  onCleanup(() => {
    props.vaults.setCurrent(undefined);
    props.vaults.trackRelease(opener.dispose());
  });

  return (
    <Switch>
      <Match when={opener.state().status === 'opening'}>
        <p class="muted" role="status">
          Opening…
        </p>
      </Match>
      <Match
        when={(() => {
          const state = opener.state();
          return state.status === 'waiting' ? state : undefined;
        })()}
      >
        {(waiting) => (
          <div class="notice warning" role="status">
            <p>
              <strong>{describeHolder(waiting().holder)}</strong>
            </p>
            <p>
              A vault has one opener at a time. It opens here by itself as soon as the other tab
              closes it, or you can take it over (the other tab loses it).
            </p>
            <button type="button" onClick={() => void opener.takeOver()}>
              Take over here
            </button>
          </div>
        )}
      </Match>
      <Match
        when={(() => {
          const state = opener.state();
          return state.status === 'open' ? state.vault : undefined;
        })()}
      >
        {(vault) => (
          <>
            <Show when={vault().damaged.length > 0}>
              <VaultDamageNotice vault={vault()} vaults={props.vaults} />
            </Show>
            <VaultSyncBar vault={vault()} />
            <VaultEntries vault={vault()} />
          </>
        )}
      </Match>
      <Match when={opener.state().status === 'taken-over'}>
        <div class="notice danger" role="alert">
          <p>
            <strong>This vault was opened in another tab.</strong> Changes there are safe; this tab
            no longer has it.
          </p>
          <button type="button" onClick={() => void opener.takeOver()}>
            Take it back
          </button>
        </div>
      </Match>
      <Match when={opener.state().status === 'missing'}>
        <p class="notice" role="status">
          This vault no longer exists. It may have been deleted in another tab.
        </p>
      </Match>
      <Match
        when={(() => {
          const state = opener.state();
          return state.status === 'failed' ? state.message : undefined;
        })()}
      >
        {(message) => (
          <p class="notice danger" role="alert">
            The vault could not be opened: {message()}
          </p>
        )}
      </Match>
    </Switch>
  );
}
