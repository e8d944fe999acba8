/**
 * Argon2 for kdbxweb, which ships none: @noble/hashes' `argon2dAsync`/`argon2idAsync`, run
 * here (Node, tests) or in a Worker (argon2-worker.ts, the browser) behind one runner type.
 */
import { argon2dAsync, argon2idAsync } from '@noble/hashes/argon2.js';
import { KdbxError } from './errors';

/**
 * The largest Argon2 memory Coffer runs, in KiB (1 GiB, noble's own ceiling): a file that asks
 * for more is refused as 'unsupported' rather than taking the tab down.
 */
export const MAX_ARGON2_MEMORY_KIB = 1024 * 1024;

/**
 * One Argon2 derivation as KDBX 4 asks for it (kdbxweb gives memory in KiB).
 * @example
 * const request: Argon2Request = { type: 'argon2d', version: 0x13, password, salt, memoryKib: 65536, iterations: 3, parallelism: 2, length: 32 };
 */
export interface Argon2Request {
  readonly type: 'argon2d' | 'argon2id';
  readonly version: 0x10 | 0x13;
  readonly password: Uint8Array;
  readonly salt: Uint8Array;
  readonly memoryKib: number;
  readonly iterations: number;
  readonly parallelism: number;
  readonly length: number;
}

/**
 * Runs one Argon2 derivation, reporting progress from 0 to 1; rejects with KdbxError
 * ('cancelled') when `signal` fires, and ('unsupported') for memory over the ceiling.
 * @example
 * const key = await runArgon2Inline(request, (fraction) => bar.set(fraction));
 */
export type Argon2Runner = (
  request: Argon2Request,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
) => Promise<Uint8Array>;

/** Refuses what should not run at all, before any memory is taken. */
export function checkArgon2Request(request: Argon2Request): void {
  if (request.memoryKib > MAX_ARGON2_MEMORY_KIB) {
    throw new KdbxError(
      'unsupported',
      `Argon2 asks for ${Math.round(request.memoryKib / 1024)} MiB; Coffer runs at most ${MAX_ARGON2_MEMORY_KIB / 1024} MiB`,
    );
  }
}

export const cancelled = (): KdbxError => new KdbxError('cancelled');

/**
 * Derives in this thread (asynchronously, yielding every few milliseconds). What Node and the
 * Worker both run.
 * @example
 * const key = await runArgon2Inline(request);
 */
export const runArgon2Inline: Argon2Runner = async (request, onProgress, signal) => {
  checkArgon2Request(request);
  if (signal?.aborted) throw cancelled();
  const derive = request.type === 'argon2d' ? argon2dAsync : argon2idAsync;
  let lastPercent = -1;
  return derive(request.password, request.salt, {
    t: request.iterations,
    m: request.memoryKib,
    p: request.parallelism,
    dkLen: request.length,
    version: request.version,
    maxmem: MAX_ARGON2_MEMORY_KIB * 1024 + 1024 * 1024,
    asyncTick: 20,
    onProgress(fraction) {
      // noble calls this inside its loop: throwing here stops the derivation.
      if (signal?.aborted) throw cancelled();
      // Thousands of calls; a percent is all a progress bar shows.
      const percent = Math.floor(fraction * 100);
      if (percent === lastPercent) return;
      lastPercent = percent;
      onProgress?.(fraction);
    },
  });
};
