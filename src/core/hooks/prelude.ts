/**
 * The hook API as the guest sees it, written in JavaScript that runs inside QuickJS (this file
 * only holds it as text). The engine evaluates it before the hook, in a fresh context, and calls
 * it with one host function, `send(text)`, the input's JSON text and the hook's name. It defines
 * the globals `request`, `response`, `vault`, `kept`, `debug`, `console`, `keep`, `openVault`
 * and `withVault`, and returns to the engine (never to the guest) `settle`, `finish` and
 * `describe`.
 *
 * Everything the guest hands over is turned into JSON text here by `toJson`, which refuses
 * what JSON cannot hold and says where (`debug(): value.callback is a function, not JSON`).
 * The guest may change any global or prototype once it runs, so the prelude takes every
 * built-in it needs while the context is still pristine and never looks one up again; objects
 * it makes for its own use have no prototype. A guest that sabotages built-ins can only spoil
 * its own values, which the page parses as JSON text anyway.
 *
 * Guest -> engine messages (JSON text through `send`):
 *   {"t":"open","id":N,"name":S}   {"t":"call","id":N,"vault":N,"op":S,"args":[...]}
 *   {"t":"close","id":N,"vault":N} {"t":"debug","value":V,"label"?:S}   {"t":"keep","values":{...}}
 *   {"t":"fail","detail":S,"stack":S}  a value was not JSON: the run fails as 'not-json'
 */
import { MAX_JSON_CHARS, MAX_LABEL_CHARS } from './protocol';

/** Deepest nesting of a value that crosses, as in the vault (MAX_JSON_DEPTH). */
const MAX_DEPTH = 100;

/** The file name QuickJS gives the prelude's frames (the hook's own frames are `hook.js`). */
export const preludeFileName = 'coffer-hook-api.js';

export const prelude = `(function (send, inputText, hook) {
'use strict';
const G = globalThis;
const O = Object;
const getProto = O.getPrototypeOf;
const keysOf = O.keys;
const describeProp = O.getOwnPropertyDescriptor;
const defineProp = O.defineProperty;
const hasOwn = O.hasOwn;
const freeze = O.freeze;
const create = O.create;
const isArray = Array.isArray;
const objectProto = O.prototype;
const arrayProto = Array.prototype;
const stringify = JSON.stringify;
const parse = JSON.parse;
const apply = Reflect.apply;
const toTag = objectProto.toString;
const isFiniteNumber = Number.isFinite;
const charCode = String.prototype.charCodeAt;
const slice = String.prototype.slice;
const toText = String;
const E = Error;
const TE = TypeError;
const P = Promise;
const reject = (error) => apply(P.reject, P, [error]);
const hostErrors = new WeakMap();
const wmHas = WeakMap.prototype.has;
const wmSet = WeakMap.prototype.set;
const MAX = ${MAX_JSON_CHARS};
const MAX_DEPTH = ${MAX_DEPTH};
const MAX_LABEL = ${MAX_LABEL_CHARS};

function dataDesc(value, writable) {
  const desc = create(null);
  desc.value = value;
  desc.writable = writable;
  desc.enumerable = false;
  desc.configurable = false;
  return desc;
}
function stackHere() {
  const s = new E().stack;
  return typeof s === 'string' ? s : '';
}
function isIdentifier(key) {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = apply(charCode, key, [i]);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
    if (!letter && !(i > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}
function pathOf(path, key) {
  return isIdentifier(key) ? path + '.' + key : path + '[' + stringify(key) + ']';
}
function kindOf(value) {
  switch (typeof value) {
    case 'undefined': return 'undefined';
    case 'function': return 'a function';
    case 'symbol': return 'a symbol';
    case 'bigint': return 'a BigInt';
    case 'number': return value !== value ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  }
  let tag = 'Object';
  try { tag = apply(slice, apply(toTag, value, []), [8, -1]); } catch {}
  if (tag === 'Promise') return 'a Promise (did you forget await?)';
  if (tag === 'Object' || tag === 'Array') return 'an object with a prototype (a class instance)';
  if (tag === 'Date') return 'a Date (use .toISOString())';
  return 'a ' + tag;
}
function notJson(where, path, what) {
  const detail = where + ': ' + path + ' ' + what;
  send('{"t":"fail","detail":' + stringify(detail) + ',"stack":' + stringify(stackHere()) + '}');
  throw new TE(detail);
}
function toJson(value, where, root) {
  const stack = create(null);
  let depth = 0;
  let out = '';
  function walk(v, path) {
    switch (typeof v) {
      case 'string': out += stringify(v); break;
      case 'boolean': out += v ? 'true' : 'false'; break;
      case 'number':
        if (!isFiniteNumber(v)) notJson(where, path, 'is ' + kindOf(v) + ', not JSON');
        out += stringify(v);
        break;
      case 'object': {
        if (v === null) { out += 'null'; break; }
        for (let i = 0; i < depth; i++) {
          if (stack[i] === v) notJson(where, path, 'refers back to an object that holds it (a cycle), not JSON');
        }
        if (depth >= MAX_DEPTH) notJson(where, path, 'is nested deeper than ' + MAX_DEPTH + ' levels');
        const proto = getProto(v);
        stack[depth++] = v;
        if (isArray(v) && proto === arrayProto) {
          out += '[';
          const n = v.length;
          for (let i = 0; i < n; i++) {
            const at = path + '[' + i + ']';
            const d = describeProp(v, '' + i);
            if (d === undefined) notJson(where, at, 'is missing (a hole in the array), not JSON');
            if (!hasOwn(d, 'value')) notJson(where, at, 'is a getter, not JSON');
            if (i > 0) out += ',';
            walk(d.value, at);
          }
          out += ']';
        } else if (proto === objectProto || proto === null) {
          out += '{';
          const ks = keysOf(v);
          let first = true;
          for (let i = 0; i < ks.length; i++) {
            const k = ks[i];
            const at = pathOf(path, k);
            const d = describeProp(v, k);
            if (d === undefined) continue;
            if (!hasOwn(d, 'value')) notJson(where, at, 'is a getter, not JSON');
            if (!first) out += ',';
            first = false;
            out += stringify(k) + ':';
            walk(d.value, at);
          }
          out += '}';
        } else {
          notJson(where, path, 'is ' + kindOf(v) + ', not JSON');
        }
        depth--;
        break;
      }
      default:
        notJson(where, path, 'is ' + kindOf(v) + ', not JSON');
    }
    if (out.length > MAX) notJson(where, root, 'is more than ' + MAX + ' characters as JSON');
  }
  walk(value, root);
  return out;
}
function deepFreeze(v) {
  if (typeof v === 'object' && v !== null) {
    const ks = keysOf(v);
    for (let i = 0; i < ks.length; i++) deepFreeze(v[ks[i]]);
    freeze(v);
  }
  return v;
}

const pending = create(null);
let nextId = 1;
function callHost(type, fields) {
  const id = nextId++;
  const site = stackHere();
  return new P((resolve, rejectCall) => {
    const entry = create(null);
    entry.resolve = resolve;
    entry.reject = rejectCall;
    entry.site = site;
    pending[id] = entry;
    send('{"t":"' + type + '","id":' + id + fields + '}');
  });
}
function settle(id, ok, text) {
  const entry = pending[id];
  if (entry === undefined) return;
  delete pending[id];
  if (ok) {
    entry.resolve(text === undefined ? undefined : parse(text));
  } else {
    const error = new E(text);
    defineProp(error, 'stack', dataDesc(entry.site, true));
    apply(wmSet, hostErrors, [error, true]);
    entry.reject(error);
  }
}

function itemName(what, key) {
  if (typeof key !== 'string') throw new TE(what + '(): the item name must be a string, not ' + kindOf(key));
  return stringify(key);
}
// Handles are not plain objects, so toJson names one that is passed on by mistake.
const vaultProto = create(objectProto);
defineProp(vaultProto, Symbol.toStringTag, dataDesc('vault handle', false));
function makeVault(name, vaultId) {
  let closing;
  const op = (what, args) => {
    if (closing !== undefined) return reject(new E(what + '(): the vault ' + stringify(name) + ' is closed'));
    return callHost('call', ',"vault":' + vaultId + ',"op":"' + what + '","args":' + args);
  };
  const handle = create(vaultProto);
  defineProp(handle, 'name', dataDesc(name, false));
  const method = (key, fn) => defineProp(handle, key, dataDesc(fn, false));
  method('get', async function get(key) { return op('get', '[' + itemName('get', key) + ']'); });
  method('has', async function has(key) { return op('has', '[' + itemName('has', key) + ']'); });
  method('delete', async function (key) { return op('delete', '[' + itemName('delete', key) + ']'); });
  method('list', async function list() { return op('list', '[]'); });
  method('set', async function set(key, value) {
    const k = itemName('set', key);
    const json = toJson(value, 'set(' + k + ')', 'value');
    return op('set', '[' + k + ',' + json + ']');
  });
  const close = async function close() {
    if (closing === undefined) closing = callHost('close', ',"vault":' + vaultId);
    return closing;
  };
  method('close', close);
  if (typeof Symbol.asyncDispose === 'symbol') method(Symbol.asyncDispose, close);
  return freeze(handle);
}
async function openVault(name) {
  if (typeof name !== 'string') throw new TE('openVault(): the vault name must be a string, not ' + kindOf(name));
  const vaultId = await callHost('open', ',"name":' + stringify(name));
  return makeVault(name, vaultId);
}
async function withVault(name, fn) {
  if (typeof fn !== 'function') throw new TE('withVault(): the second argument must be a function, like withVault(name, async (v) => v.get("item"))');
  const v = await openVault(name);
  try {
    return await fn(v);
  } finally {
    await v.close();
  }
}
function debug(value, options) {
  let label;
  if (options !== undefined) {
    if (typeof options !== 'object' || options === null) throw new TE('debug(): the second argument must be an object like { label: "what this is" }');
    label = options.label;
    if (label !== undefined && typeof label !== 'string') throw new TE('debug(): label must be a string, not ' + kindOf(label));
    if (label !== undefined && label.length > MAX_LABEL) label = apply(slice, label, [0, MAX_LABEL]);
  }
  const json = toJson(value, 'debug()', 'value');
  send('{"t":"debug","value":' + json + (label === undefined ? '' : ',"label":' + stringify(label)) + '}');
}
function log(...args) {
  const json = args.length === 1 ? toJson(args[0], 'console.log()', 'value') : toJson(args, 'console.log()', 'arguments');
  send('{"t":"debug","value":' + json + '}');
}
function keep(values) {
  if (typeof values !== 'object' || values === null || isArray(values)) throw new TE('keep(): pass an object of names and values, like keep({ token: value })');
  send('{"t":"keep","values":' + toJson(values, 'keep()', 'values') + '}');
}

const input = parse(inputText);
const before = hook === 'before';
const globals = [
  ['request', before ? input.request : deepFreeze(input.request), before],
  ['response', deepFreeze(input.response), false],
  ['vault', deepFreeze(input.vault), false],
  ['kept', deepFreeze(input.kept), false],
  ['debug', debug, false],
  ['console', freeze({ log }), false],
  ['keep', keep, false],
  ['openVault', openVault, false],
  ['withVault', withVault, false],
];
for (let i = 0; i < globals.length; i++) {
  const entry = globals[i];
  defineProp(G, entry[0], dataDesc(entry[1], entry[2]));
}

function finish(result) {
  let out = '{';
  if (result !== undefined) out += '"result":' + toJson(result, 'return', 'value');
  if (before) out += (out.length > 1 ? ',' : '') + '"request":' + toJson(G.request, 'request', 'request');
  return out + '}';
}
function describe(error) {
  let name = '';
  let message = '';
  let stack = '';
  let host = false;
  try {
    if ((typeof error === 'object' && error !== null) || typeof error === 'function') {
      host = apply(wmHas, hostErrors, [error]);
      const n = error.name;
      const m = error.message;
      const s = error.stack;
      if (typeof n === 'string') name = n;
      if (typeof m === 'string') message = m;
      if (typeof s === 'string') stack = s;
    } else {
      message = typeof error === 'string' ? error : toText(error);
    }
  } catch {}
  return '{"name":' + stringify(name) + ',"message":' + stringify(message) + ',"stack":' + stringify(stack) + ',"host":' + (host ? 'true' : 'false') + '}';
}
const api = create(null);
api.settle = settle;
api.finish = finish;
api.describe = describe;
return api;
})`;
