import '../styles/sync.css';
import { createSignal, createUniqueId, For, Show } from 'solid-js';
import type { Role } from '../../core/team';
import { useServices } from '../state/context';
import { describeError } from '../state/error-text';
import type { OpenVault } from '../state/open-vault';
import { defaultInviteRole, inviteForText, inviteReach } from '../state/team-view';
import { inviteLifetimes, inviteState } from '../state/vault-sync';
import { Dialog } from './Dialog';
import { QrCode } from './QrCode';
import { type InviteFor, ShareRoleChoice } from './ShareRoleChoice';

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * "Add a device / share this vault": makes an invitation and shows it as a link and a QR code.
 * It says plainly that whoever holds the invitation gets the vault, until it is used or expires.
 * In a vault with a team it asks whom it is for: another of one's devices, or someone else
 * with a role this member may give.
 */
export function ShareVaultDialog(props: { vault: OpenVault; onClose: () => void }) {
  const { clipboard, app } = useServices();
  const sync = () => props.vault.sync!;
  const lifetimeId = createUniqueId();
  const linkId = createUniqueId();
  const [lifetime, setLifetime] = createSignal<number>(inviteLifetimes[1].ms);
  const [singleUse, setSingleUse] = createSignal(true);
  const [link, setLink] = createSignal<string | undefined>();
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<string | undefined>();
  const [copied, setCopied] = createSignal(false);
  const mine = () => sync().me()?.role;
  const [forWhom, setForWhom] = createSignal<InviteFor>('own-device');
  /** The role picked; until one is, editor (defaultInviteRole). */
  const [picked, setRole] = createSignal<Role | undefined>();
  const [theirName, setTheirName] = createSignal('');
  const role = () => picked() ?? defaultInviteRole(mine()) ?? 'editor';
  /** The new member's role, when the invitation is for someone new in a vault with a team. */
  const newRole = () => (sync().team() && forWhom() === 'someone-else' ? role() : undefined);

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(undefined);
    const whom = newRole();
    const team = sync().team()
      ? whom
        ? {
            role: whom as 'admin' | 'editor' | 'viewer',
            ...(theirName().trim() ? { name: theirName().trim() } : {}),
          }
        : { ownDevice: true }
      : {};
    try {
      setLink(
        await sync().createInvite({ expiresInMs: lifetime(), singleUse: singleUse(), ...team }),
      );
      setCopied(false);
    } catch (error) {
      setFailure(describeError(error));
    } finally {
      setBusy(false);
    }
  };
  const active = () =>
    sync()
      .invites()
      .filter((invite) => inviteState(invite, Date.now()) === 'active');

  return (
    <Dialog
      open
      title="Add a device or share this vault"
      onClose={props.onClose}
      class="share-dialog"
    >
      <div class="notice warning">
        <p>
          <strong>{inviteReach(newRole())}</strong>. Send it only to yourself or to someone you
          trust, over a private channel, and keep it short-lived.
        </p>
      </div>
      <Show
        when={link()}
        fallback={
          <form onSubmit={create}>
            <Show when={sync().team()}>
              <ShareRoleChoice
                mine={mine()}
                forWhom={forWhom()}
                onForWhom={setForWhom}
                role={role()}
                onRole={setRole}
                name={theirName()}
                onName={setTheirName}
              />
            </Show>
            <div class="field">
              <label for={lifetimeId}>Expires after</label>
              <select
                id={lifetimeId}
                value={String(lifetime())}
                onChange={(event) => setLifetime(Number(event.currentTarget.value))}
              >
                <For each={inviteLifetimes}>
                  {(choice) => <option value={String(choice.ms)}>{choice.label}</option>}
                </For>
              </select>
            </div>
            <div class="field">
              <label class="checkbox">
                <input
                  type="checkbox"
                  checked={singleUse()}
                  onChange={(event) => setSingleUse(event.currentTarget.checked)}
                />
                For one device only
              </label>
              <span class="hint">Once one device has joined with it, it lets no one else in.</span>
            </div>
            <Show when={failure()}>
              <p class="notice danger" role="alert">
                The invitation could not be made. {failure()}
              </p>
            </Show>
            <div class="dialog-actions">
              <button type="button" class="secondary" onClick={() => props.onClose()}>
                Cancel
              </button>
              <button type="submit" disabled={busy()}>
                Create invitation
              </button>
            </div>
          </form>
        }
      >
        {(text) => (
          <div class="invite-result">
            <p>
              Open this link on the other device, in Coffer with its profile unlocked, or scan the
              code with its camera. This vault must stay open here (or on another device that has
              it) until the other device has joined.
            </p>
            <div class="field">
              <label for={linkId}>Invitation link</label>
              <div class="input-row">
                <input id={linkId} type="text" readOnly value={text()} spellcheck={false} />
                <button
                  type="button"
                  onClick={() => {
                    // The link is as secret as the vault: cleared from the clipboard like a
                    // secret, given a little longer to be pasted on the other device.
                    const seconds = Math.max(app.settings().clipboardClearSeconds, 120);
                    void clipboard.copy(text(), seconds).then(() => setCopied(true));
                  }}
                >
                  {copied() ? 'Copied' : 'Copy link'}
                </button>
              </div>
            </div>
            <QrCode text={text()} label="QR code of the invitation link" />
            <div class="dialog-actions">
              <button type="button" class="secondary" onClick={() => setLink(undefined)}>
                Make another
              </button>
              <button type="button" onClick={() => props.onClose()}>
                Done
              </button>
            </div>
          </div>
        )}
      </Show>
      <Show when={active().length > 0}>
        <h3 class="invite-list-title">Open invitations</h3>
        <ul class="invite-list">
          <For each={active()}>
            {(invite) => (
              <li>
                <span>
                  {invite.singleUse ? 'One device' : 'Any number of devices'}, until{' '}
                  {timeFormat.format(invite.expiresAt)}
                  <Show when={inviteForText(invite, sync().team(), sync().me())}>
                    {(whom) => <>, for {whom()}</>}
                  </Show>
                </span>
                <button
                  type="button"
                  class="secondary"
                  onClick={() => void sync().revokeInvite(invite.id)}
                >
                  Withdraw
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </Dialog>
  );
}
