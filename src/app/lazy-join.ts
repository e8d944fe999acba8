/**
 * The JoinState of src/ui/state/join.ts, loaded on first use: reading an invitation needs the
 * sync code (its token format and errors), which the first screen must not download for
 * everyone when only a page opened from an invitation link has one to read.
 *
 * Contract: the same as JoinState's, except that `phase()` stays undefined until the code has
 * loaded (the join dialog appears after unlocking, by which time it has), and calls made before
 * that are replayed in order once it is there. If the code fails to load, the phase says so.
 */
import { createSignal } from 'solid-js';
import type { JoinState } from '../ui/state/join';

export interface LazyJoinState extends JoinState {
  /** Starts loading the code now (after unlocking), so that a pasted link is read at once. */
  preload(): void;
}

export function lazyJoinState(load: () => Promise<JoinState>): LazyJoinState {
  const [real, setReal] = createSignal<JoinState>();
  const [failure, setFailure] = createSignal<string>();
  let loading: Promise<JoinState> | undefined;
  const loaded = () => {
    loading ??= load().then(
      (state) => {
        setFailure(undefined);
        setReal(() => state);
        return state;
      },
      (error: unknown) => {
        loading = undefined;
        setFailure(`The invitation could not be read: ${String(error)}.`);
        throw error;
      },
    );
    return loading;
  };
  /** Runs `use` on the real state, now if it is there, else once it has loaded. */
  const withReal = (use: (state: JoinState) => void) => {
    const state = real();
    if (state) use(state);
    else loaded().then(use, () => undefined);
  };
  return {
    phase: () => {
      const state = real();
      if (state) return state.phase();
      const message = failure();
      return message === undefined ? undefined : { step: 'failed', message };
    },
    offer: (text) => withReal((state) => state.offer(text)),
    join: async (session, options) => (await loaded()).join(session, options),
    dismiss: () => {
      setFailure(undefined);
      withReal((state) => state.dismiss());
    },
    preload: () => void loaded().catch(() => undefined),
  };
}
