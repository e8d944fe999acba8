import type { Scheduler } from '../time';

/** How long the probe waits for any answer. */
export const ORIGIN_PROBE_TIMEOUT_MS = 5_000;

/**
 * Whether a server answers at `origin` (see index.ts). No `redirect: 'manual'`: browsers refuse
 * it with `no-cors` (the probe would always fail), and following a redirect of the origin's
 * root carries nothing of the failed request.
 * @example
 * const cors = await originAnswers(fetch, 'https://api.example.com', scheduler);
 */
export async function originAnswers(
  fetch: typeof globalThis.fetch,
  origin: string,
  scheduler?: Scheduler,
): Promise<boolean> {
  const probe = new AbortController();
  const cancel = scheduler?.after(ORIGIN_PROBE_TIMEOUT_MS, () => probe.abort());
  try {
    await fetch(`${origin}/`, {
      mode: 'no-cors',
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      signal: probe.signal,
    });
    return true;
  } catch {
    return false;
  } finally {
    cancel?.();
  }
}
