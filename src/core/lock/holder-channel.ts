/**
 * The channel over which holders tell waiting tabs who they are (holder-protocol.ts says what
 * they say): `BroadcastChannel` in the browser, an in-memory hub in Node.
 */
import { createListeners } from '../listeners';
import { type Scheduler, systemScheduler } from '../time';

/**
 * What a channel delivers to its listeners: the message, already structured-cloned.
 *
 * @example
 * const listener = (event: HolderChannelEvent) => console.warn(event.data);
 */
export interface HolderChannelEvent {
  readonly data: unknown;
}

/**
 * The part of `BroadcastChannel` the mutex uses; `new BroadcastChannel(name)` satisfies it, and so
 * do the channels of `createMemoryChannelHub()`. Messages reach every other open channel of the
 * same name, never the sender.
 *
 * @example
 * const channel: HolderChannel = createMemoryChannelHub().channel();
 * channel.addEventListener('message', (event) => console.warn(event.data));
 */
export interface HolderChannel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: HolderChannelEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: HolderChannelEvent) => void): void;
  close(): void;
}

/**
 * Connected in-memory channels, one "name" per hub: each message is structured-cloned and
 * delivered in a later task to every other open channel, as BroadcastChannel does.
 *
 * @example
 * const hub = createMemoryChannelHub();
 * const [tab1, tab2] = [hub.channel(), hub.channel()];
 * tab2.addEventListener('message', (event) => console.warn(event.data));
 * tab1.postMessage({ hello: 'tab 2' });
 */
export interface MemoryChannelHub {
  /** A new channel connected to every other channel of this hub. */
  channel(): HolderChannel;
}

/**
 * Creates a hub of connected in-memory channels. See MemoryChannelHub. Its "later task" is
 * `scheduler.after(0, ...)`: with a manual scheduler, messages arrive at the next `advance`.
 *
 * @example
 * const hub = createMemoryChannelHub();
 * const mutex = createVaultMutex({ locks, channel: hub.channel(), holderLabel: 'tab 1' });
 */
export function createMemoryChannelHub(
  options: { readonly scheduler?: Scheduler } = {},
): MemoryChannelHub {
  const scheduler = options.scheduler ?? systemScheduler;
  const open = new Set<MemoryChannel>();

  class MemoryChannel implements HolderChannel {
    readonly #listeners = createListeners<HolderChannelEvent>('lock channel message');
    #closed = false;

    postMessage(message: unknown): void {
      if (this.#closed) {
        throw new DOMException('the channel is closed', 'InvalidStateError');
      }
      const targets = [...open].filter((channel) => channel !== this);
      for (const target of targets) {
        // Cloned per receiver, as the platform does: nobody shares the sender's object.
        const data = structuredClone(message);
        scheduler.after(0, () => target.deliver(data));
      }
    }

    addEventListener(_type: 'message', listener: (event: HolderChannelEvent) => void): void {
      this.#listeners.add(listener);
    }

    removeEventListener(_type: 'message', listener: (event: HolderChannelEvent) => void): void {
      this.#listeners.remove(listener);
    }

    close(): void {
      this.#closed = true;
      open.delete(this);
    }

    deliver(data: unknown): void {
      if (this.#closed) return;
      this.#listeners.emit({ data });
    }
  }

  return {
    channel() {
      const channel = new MemoryChannel();
      open.add(channel);
      return channel;
    },
  };
}
