/**
 * The messages between the page's hook runner (runner.ts, one run in run.ts) and the hook Worker
 * (engine.ts, one run in guest-run.ts).
 *
 * Every value that crosses is JSON text, never an object: the receiver parses it, so what
 * arrives is plain JSON whatever the sender did. The page treats each Worker message as
 * untrusted input (`readWorkerMessage`): a message of the wrong shape ends the run as
 * 'crashed'. Numbers that identify things (`runId`, call `id`, `vault`) are small integers the
 * page or the Worker chose; the guest never sees the page's vault handles, only the Worker's
 * numbers for them.
 *
 * Page -> Worker
 *   run    { runId, hook, code, input, timeMs, memoryBytes }  input: JSON text of
 *          `{ request?, response?, vault, kept }`
 *   reply  { runId, id, seq, budgetMs, ok: true, value? }    value: JSON text, absent = undefined
 *          { runId, id, seq, budgetMs, ok: false, message }  the guest's promise rejects
 * Worker -> Page
 *   started { runId }                         the engine is loaded and the run began
 *   open    { runId, id, name }               openVault(name); the reply's value is a number
 *   call    { runId, id, vault, op, args }    args: JSON text of an array
 *   close   { runId, id, vault }
 *   debug   { runId, value, label? }          value: JSON text
 *   keep    { runId, values }                 values: JSON text of an object
 *   idle    { runId, seq }                    no guest code runs until the next reply; seq is
 *                                             the last reply's seq (0 before any)
 *   done    { runId, result?, request? }      JSON texts; result absent = the hook returned undefined
 *   failed  { runId, kind, detail, line?, column? }
 *   unavailable { runId, detail }             the engine could not load; nothing ran
 */
import type { HookErrorKind } from './errors';

/** The operations on an open vault the guest may ask for. */
export const vaultOps = ['get', 'set', 'delete', 'list', 'has'] as const;
export type VaultOp = (typeof vaultOps)[number];

/** The most JSON text (in UTF-16 units) one value may take on its way across: 4 Mi. */
export const MAX_JSON_CHARS = 4 * 1024 * 1024;

/** The most characters a debug label may have. */
export const MAX_LABEL_CHARS = 200;

export type HookWorkerRequest =
  | {
      readonly type: 'run';
      readonly runId: number;
      readonly hook: 'before' | 'after';
      readonly code: string;
      readonly input: string;
      readonly timeMs: number;
      readonly memoryBytes: number;
    }
  | ({
      readonly type: 'reply';
      readonly runId: number;
      readonly id: number;
      readonly seq: number;
      readonly budgetMs: number;
    } & (
      | { readonly ok: true; readonly value?: string }
      | { readonly ok: false; readonly message: string }
    ));

/** The kinds a Worker may report ('cancelled' is the page's own). */
export type WorkerFailureKind = Exclude<HookErrorKind, 'cancelled'>;

export type HookWorkerMessage =
  | { readonly type: 'started'; readonly runId: number }
  | { readonly type: 'open'; readonly runId: number; readonly id: number; readonly name: string }
  | {
      readonly type: 'call';
      readonly runId: number;
      readonly id: number;
      readonly vault: number;
      readonly op: VaultOp;
      readonly args: string;
    }
  | { readonly type: 'close'; readonly runId: number; readonly id: number; readonly vault: number }
  | {
      readonly type: 'debug';
      readonly runId: number;
      readonly value: string;
      readonly label?: string;
    }
  | { readonly type: 'keep'; readonly runId: number; readonly values: string }
  | { readonly type: 'idle'; readonly runId: number; readonly seq: number }
  | {
      readonly type: 'done';
      readonly runId: number;
      readonly result?: string;
      readonly request?: string;
    }
  | {
      readonly type: 'failed';
      readonly runId: number;
      readonly kind: WorkerFailureKind;
      readonly detail: string;
      readonly line?: number;
      readonly column?: number;
    }
  | { readonly type: 'unavailable'; readonly runId: number; readonly detail: string };

const workerFailureKinds: ReadonlySet<string> = new Set<WorkerFailureKind>([
  'timeout',
  'memory',
  'thrown',
  'syntax',
  'not-json',
  'host',
  'crashed',
]);
const ops: ReadonlySet<string> = new Set(vaultOps);

type Fields = { readonly [key: string]: unknown };

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

const isText = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length <= max;

/** Exactly these keys, the optional ones possibly absent. */
function hasKeys(data: Fields, required: readonly string[], optional: readonly string[] = []) {
  const keys = Object.keys(data);
  if (!required.every((key) => keys.includes(key))) return false;
  return keys.every((key) => required.includes(key) || optional.includes(key));
}

/**
 * The Worker's message if it has one of the shapes above, else undefined. JSON texts are only
 * checked to be strings of at most MAX_JSON_CHARS here: the runner parses them.
 */
export function readWorkerMessage(data: unknown): HookWorkerMessage | undefined {
  if (!isFields(data) || typeof data.type !== 'string' || !isCount(data.runId)) return undefined;
  const json = (value: unknown) => isText(value, MAX_JSON_CHARS);
  const optional = (value: unknown, check: (value: unknown) => boolean) =>
    value === undefined || check(value);
  switch (data.type) {
    case 'started':
      return hasKeys(data, ['type', 'runId']) ? (data as HookWorkerMessage) : undefined;
    case 'open':
      return hasKeys(data, ['type', 'runId', 'id', 'name']) &&
        isCount(data.id) &&
        isText(data.name, MAX_JSON_CHARS)
        ? (data as HookWorkerMessage)
        : undefined;
    case 'call':
      return hasKeys(data, ['type', 'runId', 'id', 'vault', 'op', 'args']) &&
        isCount(data.id) &&
        isCount(data.vault) &&
        typeof data.op === 'string' &&
        ops.has(data.op) &&
        json(data.args)
        ? (data as HookWorkerMessage)
        : undefined;
    case 'close':
      return hasKeys(data, ['type', 'runId', 'id', 'vault']) &&
        isCount(data.id) &&
        isCount(data.vault)
        ? (data as HookWorkerMessage)
        : undefined;
    case 'debug':
      return hasKeys(data, ['type', 'runId', 'value'], ['label']) &&
        json(data.value) &&
        optional(data.label, (label) => isText(label, MAX_LABEL_CHARS))
        ? (data as HookWorkerMessage)
        : undefined;
    case 'keep':
      return hasKeys(data, ['type', 'runId', 'values']) && json(data.values)
        ? (data as HookWorkerMessage)
        : undefined;
    case 'idle':
      return hasKeys(data, ['type', 'runId', 'seq']) && isCount(data.seq)
        ? (data as HookWorkerMessage)
        : undefined;
    case 'done':
      return hasKeys(data, ['type', 'runId'], ['result', 'request']) &&
        optional(data.result, json) &&
        optional(data.request, json)
        ? (data as HookWorkerMessage)
        : undefined;
    case 'failed':
      return hasKeys(data, ['type', 'runId', 'kind', 'detail'], ['line', 'column']) &&
        typeof data.kind === 'string' &&
        workerFailureKinds.has(data.kind) &&
        isText(data.detail, 10_000) &&
        optional(data.line, isCount) &&
        optional(data.column, isCount)
        ? (data as HookWorkerMessage)
        : undefined;
    case 'unavailable':
      return hasKeys(data, ['type', 'runId', 'detail']) && isText(data.detail, 10_000)
        ? (data as HookWorkerMessage)
        : undefined;
    default:
      return undefined;
  }
}
