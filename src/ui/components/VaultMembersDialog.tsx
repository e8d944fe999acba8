import '../styles/sync.css';
import '../styles/members.css';
import { createSignal, For, Show } from 'solid-js';
import type { MemberRecord, Role } from '../../core/team';
import { describeError } from '../state/error-text';
import type { OpenVault } from '../state/open-vault';
import {
  confirmationOf,
  manageLimitText,
  membersInOrder,
  type PendingChange,
} from '../state/team-view';
import { Dialog } from './Dialog';
import { RefusedChanges } from './VaultDevicesDialog';
import { VaultMemberItem } from './VaultMemberItem';

/**
 * The people who hold a vault with a team, their roles and devices, and the membership
 * changes this device may make: change a role, remove a member or one of its devices, hand
 * over ownership, leave. Removals and handing over are confirmed, with what they do and do not
 * do; a refused change says why in the words of error-text. (A vault without a team has the
 * devices dialog instead.)
 */
export function VaultMembersDialog(props: { vault: OpenVault; onClose: () => void }) {
  const sync = () => props.vault.sync!;
  const [pending, setPending] = createSignal<PendingChange | undefined>();
  const [failure, setFailure] = createSignal<string | undefined>();
  const [busy, setBusy] = createSignal(false);
  const me = () => sync().me();

  const ask = (change: PendingChange) => {
    setFailure(undefined);
    setPending(change);
  };
  const changeRole = async (member: MemberRecord, role: Role): Promise<boolean> => {
    setFailure(undefined);
    try {
      await sync().setRole(member.id, role);
      return true;
    } catch (error) {
      setFailure(`Could not change the role of ${member.name}. ${describeError(error)}`);
      return false;
    }
  };
  const confirm = async () => {
    const change = pending();
    if (!change) return;
    setBusy(true);
    setFailure(undefined);
    try {
      if (change.kind === 'remove-member') await sync().removeMember(change.member.id);
      else if (change.kind === 'remove-device') await sync().removeDevice(change.device);
      else if (change.kind === 'transfer-ownership')
        await sync().transferOwnership(change.member.id);
      else await sync().leave();
      setPending(undefined);
    } catch (error) {
      setFailure(`It was not done. ${describeError(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open title="Members of this vault" onClose={props.onClose} class="members-dialog">
      <Show when={manageLimitText(me()?.role)}>
        {(words) => <p class="muted members-limit">{words()}</p>}
      </Show>
      <Show when={failure() && !pending()}>
        <p class="notice danger" role="alert">
          {failure()}
        </p>
      </Show>
      <Show when={sync().team()}>
        {(team) => (
          <ul class="member-list" aria-label="Members">
            <For each={membersInOrder(team())}>
              {(member) => (
                <VaultMemberItem sync={sync()} member={member} onAsk={ask} onRole={changeRole} />
              )}
            </For>
          </ul>
        )}
      </Show>
      <RefusedChanges status={sync().status()} />
      <Show when={me()}>
        {(member) => (
          <Show
            when={member().role !== 'owner'}
            fallback={
              <p class="muted members-leave">
                Hand over ownership first to leave this vault: you are its owner (Make owner, next
                to a member).
              </p>
            }
          >
            <div class="members-leave">
              <button type="button" class="secondary" onClick={() => ask({ kind: 'leave' })}>
                Leave this vault
              </button>
            </div>
          </Show>
        )}
      </Show>
      <Show when={pending()}>
        {(change) => (
          <div class="notice danger" role="alert">
            <p>
              <strong>{confirmationOf(change()).question}</strong>
            </p>
            <ul>
              <For each={confirmationOf(change()).consequences}>
                {(sentence) => <li>{sentence}</li>}
              </For>
            </ul>
            <Show when={failure()}>
              <p>{failure()}</p>
            </Show>
            <div class="button-row">
              <button type="button" class="secondary" onClick={() => setPending(undefined)}>
                Cancel
              </button>
              <button type="button" class="danger" disabled={busy()} onClick={() => void confirm()}>
                {confirmationOf(change()).confirm}
              </button>
            </div>
          </div>
        )}
      </Show>
      <div class="dialog-actions">
        <button type="button" onClick={() => props.onClose()}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
