import { createResource, createSignal, Show } from 'solid-js';
import type { NameStyle } from '../../core/vault';
import { describeVaultError, lookalikesReady, vaultNameProblem } from '../state/vaults';
import { NameDialog } from './NameDialog';

/**
 * Asks for a vault name (creating or renaming), checking it as the user types: the core's
 * rules and uniqueness ignoring case. What the core still rejects on submit is shown too.
 */
export function VaultNameDialog(props: {
  open: boolean;
  title: string;
  submitLabel: string;
  /** The vaults there are (names already in use). */
  existing: readonly { readonly id: string; readonly name: string }[];
  /** The vault being renamed: its own name (in any case) is not a clash. */
  current?: { readonly id: string; readonly name: string };
  /** Offer the environment-style checkbox (when creating). */
  offerStyle?: boolean;
  onSubmit: (name: string, style: NameStyle) => Promise<void>;
  onClose: () => void;
}) {
  const [environment, setEnvironment] = createSignal(false);
  // Look-alikes are checked once Unicode's confusables table is here (it loads on first need).
  const [lookalikes] = createResource(() => lookalikesReady().then(() => true));

  return (
    <NameDialog
      open={props.open}
      title={props.title}
      submitLabel={props.submitLabel}
      label="Vault name"
      hint="1 to 100 characters, unique in this profile (ignoring case)."
      existing={props.existing}
      current={props.current}
      problem={(name, existing, currentId) => {
        lookalikes();
        return vaultNameProblem(name, existing, currentId);
      }}
      describeError={describeVaultError}
      onSubmit={(name) => props.onSubmit(name, environment() ? 'environment' : 'default')}
      onClose={props.onClose}
    >
      <Show when={props.offerStyle}>
        <div class="field">
          <label class="checkbox">
            <input
              type="checkbox"
              checked={environment()}
              onChange={(event) => setEnvironment(event.currentTarget.checked)}
            />
            Environment-style names (UPPER_SNAKE_CASE)
          </label>
          <span class="hint">Entry names such as API_KEY only, as in environment variables.</span>
        </div>
      </Show>
    </NameDialog>
  );
}
