/**
 * Listener sets: the one way core lets callers follow an event (a vault's changes, its close,
 * sync status, a transport's status, a lock channel's messages).
 *
 * Contract:
 * - `add(listener)` returns its unsubscribe (`remove(listener)` does the same); adding the same
 *   function twice adds it once.
 * - `emit(value)` calls every listener added before the emit began, in the order they were
 *   added; one added or removed during an emit takes effect from the next emit.
 * - A listener that throws stops neither the other listeners nor the code that emitted: its
 *   error goes to `onError` with the event's name (by default, `console.error`), and the emit
 *   carries on. Events are news about what already happened; a listener's failure is its own.
 * - `clear()` removes every listener (for a handle that closed, say).
 */

/** What happens to an error a listener threw: reported, never rethrown into the emitter. */
export type ListenerErrorHandler = (event: string, error: unknown) => void;

const reportToConsole: ListenerErrorHandler = (event, error) => {
  console.error(`coffer: a listener of "${event}" failed`, error);
};

export interface Listeners<T> {
  add(listener: (value: T) => void): () => void;
  /** The same as calling what `add` returned (for DOM-style `removeEventListener`). */
  remove(listener: (value: T) => void): void;
  emit(value: T): void;
  clear(): void;
  readonly size: number;
}

/**
 * A set of listeners for the event `event` (the name errors are reported under).
 * @example
 * const changes = createListeners<ChangeOrigin>('vault change');
 * const stop = changes.add((origin) => refresh(origin));
 * changes.emit('remote');
 */
export function createListeners<T>(
  event: string,
  onError: ListenerErrorHandler = reportToConsole,
): Listeners<T> {
  const listeners = new Set<(value: T) => void>();
  return {
    add(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    remove(listener) {
      listeners.delete(listener);
    },
    emit(value) {
      for (const listener of [...listeners]) {
        try {
          listener(value);
        } catch (error) {
          onError(event, error);
        }
      }
    },
    clear() {
      listeners.clear();
    },
    get size() {
      return listeners.size;
    },
  };
}
