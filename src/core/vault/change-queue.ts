/**
 * One change at a time: each piece of work starts when the one before it has settled (resolved
 * or rejected), so a failed write never blocks the next and writes are saved in the order they
 * were asked for.
 */
export class ChangeQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(work, work);
    this.#tail = next.catch(() => undefined);
    return next;
  }

  /** Resolves once everything queued so far has settled. */
  idle(): Promise<void> {
    return this.#tail.then(() => undefined);
  }
}
