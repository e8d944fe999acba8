import { createSignal, createUniqueId, For, Show } from 'solid-js';
import type { OpenVault } from '../state/open-vault';
import { describeVaultError, namesNotFitting } from '../state/vaults';
import { Dialog } from './Dialog';

/** How many non-fitting names the warning lists before saying "and N more". */
const listed = 10;

/**
 * The vault's "Environment-style names" switch. Switching it on when some entries do not fit
 * the rule asks first, naming them: they keep working, but new names must follow the rule.
 */
export function VaultNameStyleSwitch(props: { vault: OpenVault | undefined }) {
  const hintId = createUniqueId();
  const [conflicts, setConflicts] = createSignal<string[]>([]);
  const [failure, setFailure] = createSignal<string | undefined>();
  const on = () => props.vault?.nameStyle() === 'environment';

  const apply = async (environment: boolean) => {
    const vault = props.vault;
    if (!vault) return;
    setFailure(undefined);
    try {
      await vault.setNameStyle(environment ? 'environment' : 'default');
    } catch (error) {
      setFailure(describeVaultError(error));
    }
  };

  return (
    <div class="field">
      <label class="checkbox">
        <input
          type="checkbox"
          role="switch"
          checked={on()}
          aria-checked={on()}
          disabled={!props.vault}
          aria-describedby={hintId}
          onChange={(event) => {
            const wanted = event.currentTarget.checked;
            // The checkbox follows the vault's setting, not the click, until it is applied.
            event.currentTarget.checked = on();
            if (!wanted || !props.vault) return void apply(false);
            const misfits = namesNotFitting(props.vault.entries(), 'environment');
            if (misfits.length === 0) return void apply(true);
            setConflicts(misfits);
          }}
        />
        Environment-style names
      </label>
      <span id={hintId} class="hint">
        <Show when={props.vault} fallback="Open the vault in this tab to change its naming rule.">
          Entry names in UPPER_SNAKE_CASE only, such as API_KEY.
        </Show>
      </span>
      <Show when={failure()}>
        {(message) => (
          <span class="error-text" role="alert">
            {message()}
          </span>
        )}
      </Show>
      <Show when={conflicts().length > 0}>
        <Dialog
          open
          title="Switch on environment-style names?"
          onClose={() => setConflicts([])}
          actions={
            <>
              <button type="button" class="secondary" onClick={() => setConflicts([])}>
                Cancel
              </button>
              <button
                type="button"
                onClick={() => {
                  setConflicts([]);
                  void apply(true);
                }}
              >
                Switch on
              </button>
            </>
          }
        >
          <p class="notice warning">
            {conflicts().length === 1
              ? '1 entry has a name that does not fit the rule (A–Z, 0–9 and _, starting with a letter):'
              : `${conflicts().length} entries have names that do not fit the rule (A–Z, 0–9 and _, starting with a letter):`}
          </p>
          <ul class="vault-misfits">
            <For each={conflicts().slice(0, listed)}>{(name) => <li class="mono">{name}</li>}</For>
          </ul>
          <Show when={conflicts().length > listed}>
            <p class="muted">and {conflicts().length - listed} more.</p>
          </Show>
          <p>
            They keep working as they are, but new entries and renames will have to follow the rule.
            You can switch it off again at any time.
          </p>
        </Dialog>
      </Show>
    </div>
  );
}
