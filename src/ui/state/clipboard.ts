import { type Accessor, createSignal } from 'solid-js';

/** Copying secrets: the clipboard is cleared after a delay if it still holds what we put there. */
export interface ClipboardService {
  /** Copies text; schedules clearing after `clearAfterSeconds`. Resolves false if denied. */
  copy(text: string, clearAfterSeconds: number): Promise<boolean>;
  /** Seconds until the pending clear, or null; for a "clears in 30 s" hint. */
  readonly pendingClear: Accessor<number | null>;
}

export interface ClipboardPlatform {
  writeText(text: string): Promise<void>;
  readText(): Promise<string>;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export function createClipboardService(platform: ClipboardPlatform): ClipboardService {
  const [pendingClear, setPendingClear] = createSignal<number | null>(null);
  let timer: unknown;
  let ticker: unknown;
  return {
    pendingClear,
    async copy(text, clearAfterSeconds) {
      try {
        await platform.writeText(text);
      } catch {
        return false;
      }
      if (timer !== undefined) platform.clearTimeout(timer);
      if (ticker !== undefined) platform.clearTimeout(ticker);
      const deadline = platform.now() + clearAfterSeconds * 1000;
      const tick = () => {
        const left = Math.max(0, Math.ceil((deadline - platform.now()) / 1000));
        setPendingClear(left > 0 ? left : null);
        if (left > 0) ticker = platform.setTimeout(tick, 1000);
      };
      tick();
      timer = platform.setTimeout(async () => {
        timer = undefined;
        setPendingClear(null);
        try {
          // Only clear what we put there: the user may have copied something else since.
          if ((await platform.readText()) === text) await platform.writeText('');
        } catch {
          // Reading the clipboard needs focus or permission; clear it anyway, it held a secret.
          await platform.writeText('').catch(() => undefined);
        }
      }, clearAfterSeconds * 1000);
      return true;
    },
  };
}
