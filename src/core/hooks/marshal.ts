/**
 * What comes out of the guest, as JSON: the messages the prelude sends through `send` (a value
 * that was not JSON, debug and kept values, host calls), a thrown value read through the
 * prelude's `describe`, the hook's result and final request through its `finish`, and where in
 * the user's own lines an error stood. Values go to the page as JSON text (protocol.ts).
 */
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import { type GuestFields, hostCallMessage } from './host-calls';
import type { HookWorkerMessage } from './protocol';

/** The hook's code is the body of this async function, on the hook's own first line. */
export const wrapperPrefix = '(async () => { "use strict"; ';
const wrapperSuffix = '\n})()';
/** The file name QuickJS gives the hook's code in stacks. */
export const hookFileName = 'hook.js';

/** The hook's code wrapped as the async function it is the body of. */
export function wrapHook(code: string): string {
  return `${wrapperPrefix}${code}${wrapperSuffix}`;
}

export interface Where {
  readonly line?: number;
  readonly column?: number;
}

/** Where the first frame of the hook's own code is, in the user's lines and columns. */
export function hookPosition(stack: string): Where {
  const match = /hook\.js:(\d+)(?::(\d+))?/.exec(stack);
  if (!match) return {};
  const line = Number(match[1]);
  if (match[2] === undefined) return { line };
  const raw = Number(match[2]);
  const column = line === 1 ? Math.max(1, raw - wrapperPrefix.length) : raw;
  return { line, column };
}

/** What one message of the guest means for the run. */
export type GuestEvent =
  /** A value that should cross to the page is not JSON: the run fails as 'not-json'. */
  | { readonly type: 'not-json'; readonly detail: string; readonly where: Where }
  /** A message for the page. */
  | { readonly type: 'post'; readonly message: HookWorkerMessage }
  /** The guest's side of the API broke its own protocol: the run fails as 'crashed'. */
  | { readonly type: 'broken'; readonly reason: string };

/**
 * Reads the JSON text the guest sent through `send`; undefined for a 'fail' without a detail,
 * which changes nothing.
 */
export function readGuestMessage(text: string, runId: number): GuestEvent | undefined {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { type: 'broken', reason: 'the hook API sent text that is not JSON' };
  }
  const m = message as GuestFields;
  switch (m.t) {
    case 'fail':
      if (typeof m.detail !== 'string') return undefined;
      return {
        type: 'not-json',
        detail: m.detail,
        where: hookPosition(typeof m.stack === 'string' ? m.stack : ''),
      };
    case 'debug':
      return {
        type: 'post',
        message: {
          type: 'debug',
          runId,
          value: JSON.stringify(m.value),
          ...(typeof m.label === 'string' ? { label: m.label } : {}),
        },
      };
    case 'keep':
      return { type: 'post', message: { type: 'keep', runId, values: JSON.stringify(m.values) } };
  }
  const call = hostCallMessage(m, runId);
  if (call) return { type: 'post', message: call };
  return { type: 'broken', reason: 'the hook API sent a message of an unknown shape' };
}

/** A thrown value as the prelude's `describe` sees it; all blank if it could not be read. */
export interface Thrown {
  readonly name: string;
  readonly message: string;
  readonly stack: string;
  /** Whether it is the rejection of a host call. */
  readonly host: boolean;
}

const blank: Thrown = { name: '', message: '', stack: '', host: false };

/** Reads a thrown value through the prelude's `describe`; `keep` takes handles to free later. */
export function describeThrown(
  context: QuickJSContext,
  api: QuickJSHandle | undefined,
  error: QuickJSHandle,
  keep: (handle: QuickJSHandle) => void,
): Thrown {
  if (!api) return blank;
  try {
    const fn = context.getProp(api, 'describe');
    keep(fn);
    const result = context.callFunction(fn, context.undefined, error);
    if (result.error) {
      result.error.dispose();
      return blank;
    }
    const text = context.getString(result.value);
    result.value.dispose();
    return JSON.parse(text) as Thrown;
  } catch {
    return blank;
  }
}

/**
 * Ends a hook that resolved `value` through the prelude's `finish`, which checks that the
 * result and the final request are JSON: the 'done' message, or what `finish` threw.
 * @throws what the engine throws (a failure of the engine itself).
 */
export function finishRun(
  context: QuickJSContext,
  api: QuickJSHandle,
  value: QuickJSHandle,
  keep: (handle: QuickJSHandle) => void,
  runId: number,
): { readonly done: HookWorkerMessage } | { readonly error: QuickJSHandle } {
  const finish = context.getProp(api, 'finish');
  keep(finish);
  const result = context.callFunction(finish, context.undefined, value);
  if (result.error) {
    keep(result.error);
    return { error: result.error };
  }
  const text = context.getString(result.value);
  result.value.dispose();
  const parsed = JSON.parse(text) as { result?: unknown; request?: unknown };
  return {
    done: {
      type: 'done',
      runId,
      ...('result' in parsed ? { result: JSON.stringify(parsed.result) } : {}),
      ...('request' in parsed ? { request: JSON.stringify(parsed.request) } : {}),
    },
  };
}
