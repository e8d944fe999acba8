/**
 * The host-call bridge inside the Worker: the guest's calls to the page (`openVault` and the
 * vault operations), checked and turned into protocol messages, and the page's replies, which
 * settle the promises the prelude gave the guest for those calls.
 */
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import type { HookWorkerMessage, HookWorkerRequest, VaultOp } from './protocol';
import { vaultOps } from './protocol';

/** A message the guest sent through `send`, parsed but not yet checked. */
export type GuestFields = { readonly [key: string]: unknown };

export type HostCallMessage = Extract<HookWorkerMessage, { type: 'open' | 'call' | 'close' }>;

const isId = (value: unknown): value is number => Number.isSafeInteger(value);

/**
 * The page's message for a guest's host call (`t` is 'open', 'call' or 'close'), or undefined
 * if the guest's message is not one of those shapes.
 */
export function hostCallMessage(m: GuestFields, runId: number): HostCallMessage | undefined {
  const id = m.id;
  switch (m.t) {
    case 'open':
      if (isId(id) && typeof m.name === 'string') return { type: 'open', runId, id, name: m.name };
      return undefined;
    case 'call':
      if (
        isId(id) &&
        isId(m.vault) &&
        typeof m.op === 'string' &&
        (vaultOps as readonly string[]).includes(m.op) &&
        Array.isArray(m.args)
      ) {
        const op = m.op as VaultOp;
        return { type: 'call', runId, id, vault: m.vault, op, args: JSON.stringify(m.args) };
      }
      return undefined;
    case 'close':
      if (isId(id) && isId(m.vault)) return { type: 'close', runId, id, vault: m.vault };
      return undefined;
    default:
      return undefined;
  }
}

/**
 * Settles the guest's promise for the call `reply.id` through the prelude's `settle`, and frees
 * the handles that took. The guest's code that waited runs when the run next drives its jobs.
 * @returns what the engine threw, if it failed.
 */
export function settleHostCall(
  context: QuickJSContext,
  api: QuickJSHandle,
  reply: Extract<HookWorkerRequest, { type: 'reply' }>,
): { readonly error: unknown } | undefined {
  const local: QuickJSHandle[] = [];
  let failure: { readonly error: unknown } | undefined;
  const hold = <T extends QuickJSHandle>(handle: T): T => {
    local.push(handle);
    return handle;
  };
  try {
    const settleFn = hold(context.getProp(api, 'settle'));
    const value = reply.ok ? reply.value : reply.message;
    const result = context.callFunction(
      settleFn,
      context.undefined,
      hold(context.newNumber(reply.id)),
      reply.ok ? context.true : context.false,
      value === undefined ? context.undefined : hold(context.newString(value)),
    );
    if (result.error) hold(result.error);
    else hold(result.value);
  } catch (error) {
    failure = { error };
  }
  try {
    for (const handle of local) if (handle.alive) handle.dispose();
  } catch (error) {
    failure ??= { error };
  }
  return failure;
}
