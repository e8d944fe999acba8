import { createMemo, Show, untrack } from 'solid-js';
import { useServices } from '../state/context';
import { vaultsFor } from '../state/vaults';
import { useWorkspace } from '../state/workspace';
import '../styles/vaults.css';
import { VaultSession } from './VaultSession';

/**
 * The main pane for the selected vault: its name, and a VaultSession that holds it open.
 * Choosing another vault starts a new session (closing the old vault); renaming this one here
 * keeps the session, so the lock is not let go (a waiting tab would grab it).
 */
export function VaultPane(props: { name: string }) {
  const { app } = useServices();
  const vaults = vaultsFor(useWorkspace(), () => app.session());
  let openedAs = untrack(() => props.name);
  let generation = 1;
  const session = createMemo(() => {
    const name = props.name;
    const rename = untrack(vaults.lastRename);
    const same = name === openedAs || (rename?.from === openedAs && rename.to === name);
    openedAs = name;
    if (!same) generation += 1;
    return generation;
  });

  return (
    <section class="vault-pane" aria-labelledby="vault-pane-title">
      <div class="vault-pane-head">
        <h2 id="vault-pane-title">{props.name}</h2>
      </div>
      <Show when={session()} keyed>
        {(_generation) => <VaultSession name={props.name} vaults={vaults} />}
      </Show>
    </section>
  );
}
