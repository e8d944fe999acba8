/**
 * The checks `run` makes of what it is given, before anything is queued: the limits (and their
 * default) and the hook's input, written once as the JSON text the Worker receives. Bad input
 * throws TypeError or RangeError, saying what was expected and what arrived.
 */
import { MAX_JSON_CHARS } from './protocol';
import type { HookInput, HookLimits } from './types';

/** 10 seconds and 64 MiB. */
export const defaultHookLimits: HookLimits = Object.freeze({
  timeMs: 10_000,
  memoryBytes: 64 * 1024 * 1024,
});

const MAX_TIME_MS = 10 * 60 * 1000;
const MIN_MEMORY = 1024 * 1024;
const MAX_MEMORY = 1024 * 1024 * 1024;

/** @throws RangeError for a time or memory limit out of range. */
export function checkLimits(limits: HookLimits): void {
  if (!Number.isFinite(limits.timeMs) || limits.timeMs <= 0 || limits.timeMs > MAX_TIME_MS) {
    throw new RangeError(
      `limits.timeMs must be over 0 and at most ${MAX_TIME_MS}, not ${limits.timeMs}`,
    );
  }
  if (
    !Number.isSafeInteger(limits.memoryBytes) ||
    limits.memoryBytes < MIN_MEMORY ||
    limits.memoryBytes > MAX_MEMORY
  ) {
    throw new RangeError(
      `limits.memoryBytes must be a whole number from ${MIN_MEMORY} to ${MAX_MEMORY}, not ${limits.memoryBytes}`,
    );
  }
}

/**
 * The JSON text of the guest's globals (`request`, `response`, `vault`, `kept`).
 * @throws TypeError for a hook, code or request of the wrong kind; RangeError for an input
 *   over MAX_JSON_CHARS.
 */
export function inputText(input: HookInput): string {
  if (input.hook !== 'before' && input.hook !== 'after') {
    throw new TypeError(`input.hook must be 'before' or 'after', not ${String(input.hook)}`);
  }
  if (typeof input.code !== 'string') throw new TypeError('input.code must be a string');
  if (input.hook === 'before' && input.request === undefined) {
    throw new TypeError('a before hook needs input.request');
  }
  const text = JSON.stringify({
    request: input.request,
    response: input.response,
    vault: input.vault,
    kept: input.kept,
  });
  if (text.length > MAX_JSON_CHARS) {
    throw new RangeError(`the hook's input is more than ${MAX_JSON_CHARS} characters as JSON`);
  }
  return text;
}
