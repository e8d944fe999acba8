/**
 * Joining a vault with an invitation: from a link opened in the address bar (its fragment,
 * read once and then removed from the address bar and history) or pasted by hand. The
 * invitation waits in memory until the profile is unlocked; nothing of it is stored.
 */
import { type Accessor, createSignal } from 'solid-js';
import type { Session, VaultSummary } from '../../core/profile';
import { InviteError, type InviteToken, parseInvite, type TransportFactory } from '../../core/sync';
// The words come from error-text, not vault-sync.ts: this module is on the first screen (an
// invitation link is read before unlocking), and vault-sync.ts brings the sync and team code.
import { joinErrorText as describeJoinError } from './error-text';

export type JoinPhase =
  | { readonly step: 'ready'; readonly token: InviteToken }
  | { readonly step: 'asking'; readonly token: InviteToken; readonly connected: boolean }
  | { readonly step: 'joined'; readonly vault: VaultSummary }
  | { readonly step: 'failed'; readonly message: string; readonly token?: InviteToken };

export interface JoinState {
  /** The invitation in progress, or undefined when there is none. */
  readonly phase: Accessor<JoinPhase | undefined>;
  /** Reads an invitation from a link, a fragment or a pasted token. */
  offer(text: string): void;
  /** Asks a device of the vault for it, and adds it to the profile. */
  join(session: Session, options?: { timeoutMs?: number }): Promise<VaultSummary | undefined>;
  dismiss(): void;
}

export function createJoinState(connect: TransportFactory): JoinState {
  const [phase, setPhase] = createSignal<JoinPhase | undefined>();
  let abort: AbortController | undefined;
  return {
    phase,
    offer(text) {
      try {
        const token = parseInvite(text);
        setPhase(
          token.expiresAt <= Date.now()
            ? { step: 'failed', message: describeJoinError(new InviteError('expired')) }
            : { step: 'ready', token },
        );
      } catch (error) {
        setPhase({ step: 'failed', message: describeJoinError(error) });
      }
    },
    async join(session, options = {}) {
      const current = phase();
      if (!current || (current.step !== 'ready' && !(current.step === 'failed' && current.token)))
        return undefined;
      const token = current.token!;
      abort?.abort();
      abort = new AbortController();
      setPhase({ step: 'asking', token, connected: false });
      try {
        const device = await session.device();
        const { joinWithInvite } = await import('../../core/sync');
        const received = await joinWithInvite({
          token,
          device,
          connect,
          signal: abort.signal,
          ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
          onStatus: (status) => {
            if (phase()?.step === 'asking')
              setPhase({ step: 'asking', token, connected: status.peers > 0 });
          },
        });
        const vault = await session.addJoinedVault(received);
        setPhase({ step: 'joined', vault });
        return vault;
      } catch (error) {
        if (abort.signal.aborted) return undefined;
        setPhase({ step: 'failed', message: describeJoinError(error), token });
        return undefined;
      }
    },
    dismiss() {
      abort?.abort();
      abort = undefined;
      setPhase(undefined);
    },
  };
}
