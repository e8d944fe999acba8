/**
 * Who holds a vault, told to the tabs waiting for it. Web Locks say only that a lock is held
 * (and by an opaque client id); the holder itself says its label and since when, over a
 * HolderChannel shared by every tab of the origin.
 */
import { randomBytes, toBase64url } from '../crypto';
import { type Scheduler, systemScheduler } from '../time';
import type { HolderChannel, HolderChannelEvent } from './holder-channel';

const protocol = 'coffer/lock-holder/1';

/**
 * A message of the holder protocol, before the protocol tag is added:
 * - `acquired`: the sender was just granted `lockName` (for tabs that watch);
 * - `released`: the sender released `lockName`;
 * - `who-holds`: a waiter asks the holder of `lockName` to answer question `ask`;
 * - `held`: the holder's answer to question `ask`: its label (if it has one) and since when.
 *
 * `whoHolds` trusts answers to its own question only: an `acquired` or an answer to an older
 * question may still be in flight from a holder that has since lost the lock.
 *
 * @example
 * const body: HolderMessageBody = { type: 'who-holds', lockName: 'coffer/vault/v1', ask: 'q1' };
 */
export type HolderMessageBody =
  | {
      readonly type: 'acquired';
      readonly lockName: string;
      readonly label?: string;
      readonly since: number;
    }
  | { readonly type: 'released'; readonly lockName: string }
  | { readonly type: 'who-holds'; readonly lockName: string; readonly ask: string }
  | {
      readonly type: 'held';
      readonly lockName: string;
      readonly ask: string;
      readonly label?: string;
      readonly since: number;
    };

/**
 * A message as it travels on the channel, tagged with the protocol and its version.
 *
 * @example
 * const message: HolderMessage = holderMessage({ type: 'released', lockName: 'coffer/vault/v1' });
 */
export type HolderMessage = HolderMessageBody & { readonly protocol: typeof protocol };

/**
 * Tags a message body with the protocol.
 *
 * @example
 * channel.postMessage(holderMessage({ type: 'who-holds', lockName: 'coffer/vault/v1', ask: 'q1' }));
 */
export function holderMessage(body: HolderMessageBody): HolderMessage {
  return { protocol, ...body };
}

/** Labels longer than this from another tab are cut, so a broken peer cannot flood the UI. */
const maxLabelLength = 200;
/** Question ids are short tokens; anything longer is not ours. */
const maxAskLength = 100;

const isAsk = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= maxAskLength;

/** The label and since of an `acquired` or `held` message, or undefined if malformed. */
function holderFields(
  message: Record<string, unknown>,
): { readonly label?: string; readonly since: number } | undefined {
  if (message.label !== undefined && typeof message.label !== 'string') return undefined;
  if (typeof message.since !== 'number' || !Number.isFinite(message.since)) return undefined;
  return typeof message.label === 'string'
    ? { label: message.label.slice(0, maxLabelLength), since: message.since }
    : { since: message.since };
}

/**
 * Reads a message from the channel: a HolderMessage, or undefined for anything else (other
 * protocols may share the channel, and other tabs may run other versions).
 *
 * @example
 * channel.addEventListener('message', (event) => {
 *   const message = parseHolderMessage(event.data);
 *   if (message?.type === 'acquired') console.warn(`${message.label} took ${message.lockName}`);
 * });
 */
export function parseHolderMessage(data: unknown): HolderMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const message = data as Record<string, unknown>;
  if (message.protocol !== protocol) return undefined;
  if (typeof message.lockName !== 'string' || message.lockName.length === 0) return undefined;
  const lockName = message.lockName;
  switch (message.type) {
    case 'acquired': {
      const fields = holderFields(message);
      return fields && holderMessage({ type: 'acquired', lockName, ...fields });
    }
    case 'held': {
      const fields = holderFields(message);
      if (!fields || !isAsk(message.ask)) return undefined;
      return holderMessage({ type: 'held', lockName, ask: message.ask, ...fields });
    }
    case 'who-holds':
      return isAsk(message.ask)
        ? holderMessage({ type: 'who-holds', lockName, ask: message.ask })
        : undefined;
    case 'released':
      return holderMessage({ type: 'released', lockName });
    default:
      return undefined;
  }
}

/**
 * What a holder says about itself: its label, if it has one, and since when it holds the lock.
 *
 * @example
 * const state: HolderState = { label: 'Tab opened 10:42', since: scheduler.now() };
 */
export interface HolderState {
  readonly label?: string;
  readonly since: number;
}

/**
 * One tab's side of the holder protocol: announces its own grants and releases, answers
 * questions about the locks it holds, and asks about the locks others hold.
 *
 * @example
 * const announcer = createHolderAnnouncer({ channel, replyTimeoutMs: 200, heldHere: () => undefined });
 * const holder = await announcer.ask('coffer/vault/v1'); // undefined if nobody answers in time
 */
export interface HolderAnnouncer {
  acquired(lockName: string, state: HolderState): void;
  released(lockName: string): void;
  /** The holder's answer to a question asked now, or undefined after `replyTimeoutMs`. */
  ask(lockName: string): Promise<HolderState | undefined>;
}

/**
 * Creates the announcer for one tab. Without a channel it says nothing and hears no answer.
 *
 * @example
 * const leases = new Map<string, HolderState>();
 * const announcer = createHolderAnnouncer({
 *   channel: new BroadcastChannel('coffer/vault-holders'),
 *   replyTimeoutMs: 200,
 *   heldHere: (lockName) => leases.get(lockName),
 * });
 */
export function createHolderAnnouncer(options: {
  readonly channel: HolderChannel | undefined;
  readonly replyTimeoutMs: number;
  /** What this tab holds: it answers questions about these locks. */
  readonly heldHere: (lockName: string) => HolderState | undefined;
  /** Times the wait for an answer (the system's by default). */
  readonly scheduler?: Scheduler;
}): HolderAnnouncer {
  const { channel, replyTimeoutMs, heldHere } = options;
  const scheduler = options.scheduler ?? systemScheduler;
  const waiting = new Set<(message: HolderMessage) => void>();
  // Question ids only need to differ between the tabs asking at the same time. They are ids, so
  // they come from the crypto layer, not the scheduler's `random` (jitter only): tabs that
  // share a test scheduler, whose `random` is fixed, would otherwise ask the same questions.
  const askPrefix = toBase64url(randomBytes(6));
  let nextAsk = 0;

  const post = (body: HolderMessageBody): void => {
    if (!channel) return;
    try {
      channel.postMessage(holderMessage(body));
    } catch (error) {
      // Announcements are advice for waiting tabs; a channel closed under us (the page is
      // going away) must not cost the caller its lease.
      console.warn('coffer: could not announce the lock holder', error);
    }
  };

  channel?.addEventListener('message', (event: HolderChannelEvent) => {
    const message = parseHolderMessage(event.data);
    if (!message) return;
    if (message.type === 'who-holds') {
      const state = heldHere(message.lockName);
      if (state) post({ type: 'held', lockName: message.lockName, ask: message.ask, ...state });
      return;
    }
    for (const listener of [...waiting]) listener(message);
  });

  return {
    acquired: (lockName, state) => post({ type: 'acquired', lockName, ...state }),
    released: (lockName) => post({ type: 'released', lockName }),
    ask(lockName) {
      if (!channel) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const ask = `${askPrefix}-${nextAsk++}`;
        const done = (answer: HolderState | undefined) => {
          cancelTimeout();
          waiting.delete(listener);
          resolve(answer);
        };
        const listener = (message: HolderMessage) => {
          if (message.type === 'held' && message.ask === ask && message.lockName === lockName) {
            done(
              message.label === undefined
                ? { since: message.since }
                : { label: message.label, since: message.since },
            );
          }
        };
        const cancelTimeout = scheduler.after(replyTimeoutMs, () => done(undefined));
        waiting.add(listener);
        post({ type: 'who-holds', lockName, ask });
      });
    },
  };
}
