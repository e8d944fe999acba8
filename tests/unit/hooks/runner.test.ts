/**
 * The hook sandbox end to end: the page's runner (src/core/hooks) driving the real QuickJS
 * engine in a Node worker thread, against an in-memory host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHookRunner,
  defaultHookLimits,
  HookEngineError,
  HookError,
  type HookInput,
  type HookOutcome,
  type HookRunner,
} from '../../../src/core/hooks';
import { fakeHost, nodeWorkerSpawner, type Spawner } from './helpers';

let spawner: Spawner;
let runner: HookRunner;

beforeAll(() => {
  spawner = nodeWorkerSpawner();
  runner = createHookRunner(spawner.spawn);
});

afterAll(async () => {
  runner.dispose();
  await spawner.closeAll();
});

const afterHook = (code: string, extra: Partial<HookInput> = {}): HookInput => ({
  hook: 'after',
  code,
  response: { status: 200, statusText: 'OK', headers: {}, body: '' },
  vault: {},
  kept: {},
  ...extra,
});

function failed(outcome: HookOutcome): HookError {
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
  expect(outcome.error).toBeInstanceOf(HookError);
  expect(outcome.error.code).toBe('hook-failed');
  return outcome.error;
}

describe('the seed example', () => {
  it('reads a vault item, shows it with its label and keeps it', async () => {
    const host = fakeHost({ 'my-vault': { 'my-item': { user: 'ada', token: 's3cret' } } });
    const code = [
      "const myData = await withVault('my-vault', v => v.get('my-item'));",
      'debug(myData, { label: "Here\'s what was in the vault" });',
      'keep({ my_data: myData });',
    ].join('\n');
    const outcome = await runner.run(afterHook(code), host);
    expect(outcome).toEqual({ ok: true, result: undefined });
    expect(host.debugs).toEqual([
      { value: { user: 'ada', token: 's3cret' }, label: "Here's what was in the vault" },
    ]);
    expect(host.kept).toEqual([{ my_data: { user: 'ada', token: 's3cret' } }]);
    expect(host.calls).toEqual(['open my-vault', 'get h1 ["my-item"]', 'close h1']);
    expect(host.openHandles.size).toBe(0);
  });
});

describe('the before and after hooks', () => {
  it('returns the request as the before hook left it', async () => {
    const host = fakeHost({});
    const outcome = await runner.run(
      {
        hook: 'before',
        code: [
          "request.method = 'POST';",
          "request.url = request.url + '?page=2';",
          "request.headers['X-Token'] = vault.API_TOKEN;",
          'delete request.headers.Accept;',
        ].join('\n'),
        request: { method: 'GET', url: 'https://api.example/items', headers: { Accept: '*/*' } },
        vault: { API_TOKEN: 'tok-123' },
        kept: {},
      },
      host,
    );
    expect(outcome).toEqual({
      ok: true,
      result: undefined,
      request: {
        method: 'POST',
        url: 'https://api.example/items?page=2',
        headers: { 'X-Token': 'tok-123' },
      },
    });
  });

  it('takes a request replaced as a whole, and a returned value', async () => {
    const outcome = await runner.run(
      {
        hook: 'before',
        code: "request = { method: 'DELETE', url: '/x', headers: {} };\nreturn { replaced: true };",
        request: { method: 'GET', url: '/y', headers: {} },
        vault: {},
        kept: {},
      },
      fakeHost({}),
    );
    expect(outcome).toEqual({
      ok: true,
      result: { replaced: true },
      request: { method: 'DELETE', url: '/x', headers: {} },
    });
  });

  it('lets the after hook read the response and write to a vault', async () => {
    const host = fakeHost({ out: { old: 1 } });
    const code = [
      'const body = JSON.parse(response.body);',
      "await withVault('out', async (v) => {",
      "  await v.set('order', { id: body.id, status: response.status });",
      "  await v.delete('old');",
      '});',
      'return body.id;',
    ].join('\n');
    const outcome = await runner.run(
      afterHook(code, {
        response: {
          status: 201,
          statusText: 'Created',
          headers: { 'content-type': 'application/json' },
          body: '{"id":"ord_42"}',
        },
      }),
      host,
    );
    expect(outcome).toEqual({ ok: true, result: 'ord_42' });
    expect(Object.fromEntries(host.vaults.get('out')!)).toEqual({
      order: { id: 'ord_42', status: 201 },
    });
    expect(host.calls).toEqual([
      'open out',
      'set h1 ["order",{"id":"ord_42","status":201}]',
      'delete h1 ["old"]',
      'close h1',
    ]);
  });

  it('gives kept values and the response read-only', async () => {
    const outcome = await runner.run(
      afterHook("kept.token.value = 'changed';", { kept: { token: { value: 'x' } } }),
      fakeHost({}),
    );
    const error = failed(outcome);
    expect(error.kind).toBe('thrown');
    expect(error.line).toBe(1);
    expect(error.detail).toMatch(/^TypeError: /);
  });

  it('has openVault, list, has and close, and refuses calls on a closed handle', async () => {
    const host = fakeHost({ v: { a: 1, b: 2 } });
    const code = [
      "const v = await openVault('v');",
      'const names = await v.list();',
      "const has = [await v.has('a'), await v.has('zz')];",
      'await v.close();',
      "const closedRead = await v.get('a').then(() => 'read', (e) => e.message);",
      'return { names, has, after: closedRead };',
    ].join('\n');
    const outcome = await runner.run(afterHook(code), host);
    expect(outcome).toEqual({
      ok: true,
      result: { names: ['a', 'b'], has: [true, false], after: 'get(): the vault "v" is closed' },
    });
    expect(host.calls).toEqual(['open v', 'list h1', 'has h1 ["a"]', 'has h1 ["zz"]', 'close h1']);
  });

  it('sends console.log to debug, several values as one array', async () => {
    const host = fakeHost({});
    const outcome = await runner.run(
      afterHook("console.log('one');\nconsole.log('a', 2, [true]);"),
      host,
    );
    expect(outcome.ok).toBe(true);
    expect(host.debugs).toEqual([
      { value: 'one', label: undefined },
      { value: ['a', 2, [true]], label: undefined },
    ]);
  });
});

describe('failures say what and where', () => {
  it('reports a throw with its message and the user line', async () => {
    const code = ['const x = 1;', '', "if (x) throw new Error('boom ' + x);"].join('\n');
    const error = failed(await runner.run(afterHook(code), fakeHost({})));
    expect(error.kind).toBe('thrown');
    expect(error.hook).toBe('after');
    expect(error.line).toBe(3);
    // QuickJS places a call's position at its opening parenthesis.
    expect(error.column).toBe(23);
    expect(error.detail).toBe('Error: boom 1');
    // What the hook threw may hold a secret: the message, which ends up in logs, leaves it out.
    expect(error.message).toBe('the after hook failed (thrown) at line 3');
  });

  it('counts columns on the first line from the user code, not the wrapper', async () => {
    const error = failed(await runner.run(afterHook('null.x'), fakeHost({})));
    expect(error.kind).toBe('thrown');
    expect(error.line).toBe(1);
    expect(error.column).toBe(5);
    expect(error.detail).toBe("TypeError: cannot read property 'x' of null");
  });

  it('shortens a very long message', async () => {
    const error = failed(
      await runner.run(afterHook("throw new Error('x'.repeat(50000));"), fakeHost({})),
    );
    expect(error.kind).toBe('thrown');
    expect(error.detail).toBe(`Error: ${'x'.repeat(1992)}…`);
  });

  it('reports a thrown non-error value', async () => {
    const error = failed(await runner.run(afterHook("\nthrow 'plain text';"), fakeHost({})));
    expect(error.kind).toBe('thrown');
    expect(error.detail).toBe('threw plain text');
  });

  it('reports a syntax error with its line', async () => {
    const error = failed(await runner.run(afterHook('const a = 1;\nlet b = ;'), fakeHost({})));
    expect(error.kind).toBe('syntax');
    expect(error.line).toBe(2);
    expect(error.column).toBe(9);
    expect(error.detail).toBe("SyntaxError: unexpected token in expression: ';'");
  });

  it('does not parse `await using` (QuickJS 0.32 lacks explicit resource management)', async () => {
    const host = fakeHost({ x: {} });
    const error = failed(
      await runner.run(afterHook("await using v = await openVault('x');"), host),
    );
    expect(error.kind).toBe('syntax');
    expect(error.line).toBe(1);
    expect(host.calls).toEqual([]);
  });

  it('reports an uncaught host failure as kind host, at the line of the call', async () => {
    const host = fakeHost({ v: {} });
    const code = "const v = await openVault('v');\n\nawait v.get('missing');";
    const error = failed(await runner.run(afterHook(code), host));
    expect(error.kind).toBe('host');
    expect(error.detail).toBe('there is no item named missing');
    expect(error.line).toBe(3);
    // The vault the hook left open is closed for it.
    expect(host.openHandles.size).toBe(0);
    expect(host.calls).toEqual(['open v', 'get h1 ["missing"]', 'close h1']);
  });

  it('lets the hook catch a host failure', async () => {
    const code = "try { await openVault('nope'); } catch (e) { return 'caught: ' + e.message; }";
    expect(await runner.run(afterHook(code), fakeHost({}))).toEqual({
      ok: true,
      result: 'caught: there is no vault named nope',
    });
  });

  it('closes the vault of withVault when the callback throws', async () => {
    const host = fakeHost({ v: { a: 1 } });
    const code =
      "await withVault('v', async (v) => {\n  await v.get('a');\n  throw new Error('inside');\n});";
    const error = failed(await runner.run(afterHook(code), host));
    expect(error.kind).toBe('thrown');
    expect(error.detail).toBe('Error: inside');
    expect(error.line).toBe(3);
    expect(host.calls).toEqual(['open v', 'get h1 ["a"]', 'close h1']);
  });
});

describe('only JSON crosses', () => {
  const notJson = async (code: string, hook: 'before' | 'after' = 'after') => {
    const input: HookInput =
      hook === 'after'
        ? afterHook(code)
        : { hook, code, request: { url: '/' }, vault: {}, kept: {} };
    const host = fakeHost({ v: {} });
    const error = failed(await runner.run(input, host));
    expect(error.kind).toBe('not-json');
    return { error, host };
  };

  it('names the call and the path of a function', async () => {
    const { error, host } = await notJson("\ndebug({ callback() {} }, { label: 'x' });");
    expect(error.detail).toBe('debug(): value.callback is a function, not JSON');
    expect(error.line).toBe(2);
    expect(host.debugs).toEqual([]);
  });

  it('refuses undefined inside an array, a BigInt, a symbol and NaN', async () => {
    expect((await notJson('debug([1, undefined]);')).error.detail).toBe(
      'debug(): value[1] is undefined, not JSON',
    );
    expect((await notJson("keep({ 'my key': { n: 1n } });")).error.detail).toBe(
      'keep(): values["my key"].n is a BigInt, not JSON',
    );
    expect((await notJson('console.log(1, Symbol("s"));')).error.detail).toBe(
      'console.log(): arguments[1] is a symbol, not JSON',
    );
    expect((await notJson('return { n: 0 / 0 };')).error.detail).toBe(
      'return: value.n is NaN, not JSON',
    );
  });

  it('refuses a cycle, a Map, a Date and a forgotten await', async () => {
    const cycle = "const o = { a: [] }; o.a.push(o);\nawait withVault('v', (v) => v.set('x', o));";
    const { error, host } = await notJson(cycle);
    expect(error.detail).toBe(
      'set("x"): value.a[0] refers back to an object that holds it (a cycle), not JSON',
    );
    expect(error.line).toBe(2);
    expect(host.calls).toEqual(['open v', 'close h1']);
    expect((await notJson('return new Map();')).error.detail).toBe(
      'return: value is a Map, not JSON',
    );
    expect((await notJson('debug({ when: new Date(0) });')).error.detail).toBe(
      'debug(): value.when is a Date (use .toISOString()), not JSON',
    );
    const forgot = await notJson("return { v: openVault('v') };");
    expect(forgot.error.detail).toBe(
      'return: value.v is a Promise (did you forget await?), not JSON',
    );
    // The vault it opened without waiting is closed by the runner.
    expect(forgot.host.calls).toEqual(['open v', 'close h1']);
    expect((await notJson("return await openVault('v');")).error.detail).toBe(
      'return: value is a vault handle, not JSON',
    );
  });

  it('fails the run even when the hook catches the error', async () => {
    const { error } = await notJson('try { keep({ f: () => 1 }); } catch {}\nreturn 1;');
    expect(error.detail).toBe('keep(): values.f is a function, not JSON');
  });

  it('checks the final request of a before hook', async () => {
    const { error } = await notJson('request.body = undefined;', 'before');
    expect(error.detail).toBe('request: request.body is undefined, not JSON');
  });

  it('takes undefined as no result, and -0 as 0', async () => {
    expect(await runner.run(afterHook('return undefined;'), fakeHost({}))).toEqual({
      ok: true,
      result: undefined,
    });
    expect(await runner.run(afterHook('return [-0, null, "é"];'), fakeHost({}))).toEqual({
      ok: true,
      result: [0, null, 'é'],
    });
  });
});

describe('isolation', () => {
  it('shows the guest none of the host globals', async () => {
    const names = [
      'fetch',
      'indexedDB',
      'XMLHttpRequest',
      'WebAssembly',
      'setTimeout',
      'setInterval',
      'importScripts',
      'postMessage',
      'self',
      'window',
      'document',
      'caches',
      'crypto',
      'navigator',
      'require',
      'process',
      'Atomics',
    ];
    const code = `return {
      globals: [${names.map((name) => `typeof ${name}`).join(', ')}],
      process: typeof globalThis.process,
    };`;
    const outcome = await runner.run(afterHook(code), fakeHost({}));
    expect(outcome).toEqual({
      ok: true,
      result: { globals: names.map(() => 'undefined'), process: 'undefined' },
    });
  });

  it('has only the entries it was given, and reaches vaults only through the host', async () => {
    const host = fakeHost({ mine: { a: 'A' }, theirs: { b: 'B' } });
    const code = [
      'const seen = Object.keys(vault);',
      'const direct = typeof vault.OTHER_SECRET;',
      "const v = await openVault('mine');",
      "const cross = await v.get('b').then(() => 'read', (e) => e.message);",
      'return { seen, direct, cross, frozen: Object.isFrozen(vault) };',
    ].join('\n');
    const outcome = await runner.run(afterHook(code, { vault: { API_KEY: 'k' } }), host);
    expect(outcome).toEqual({
      ok: true,
      result: {
        seen: ['API_KEY'],
        direct: 'undefined',
        cross: 'there is no item named b',
        frozen: true,
      },
    });
    // Every vault access went through the host, and the leftover handle was closed.
    expect(host.calls).toEqual(['open mine', 'get h1 ["b"]', 'close h1']);
  });

  it('starts each run in a fresh context', async () => {
    await runner.run(
      afterHook('globalThis.leftover = 1; Object.prototype.polluted = 2;'),
      fakeHost({}),
    );
    expect(
      await runner.run(afterHook('return [typeof leftover, typeof ({}).polluted];'), fakeHost({})),
    ).toEqual({ ok: true, result: ['undefined', 'undefined'] });
  });

  it('keeps its API working when the hook breaks the built-ins', async () => {
    const host = fakeHost({ v: { a: 'A' } });
    const code = [
      'JSON.stringify = () => "{}"; JSON.parse = () => 0; Object.keys = () => [];',
      "Array.prototype.push = null; Object.defineProperty(Object.prototype, 'value', { get() { return 9; } });",
      "debug({ x: [1, 'two'] });",
      "return await withVault('v', (v) => v.get('a'));",
    ].join('\n');
    expect(await runner.run(afterHook(code), host)).toEqual({ ok: true, result: 'A' });
    expect(host.debugs).toEqual([{ value: { x: [1, 'two'] }, label: undefined }]);
  });
});

describe('the runner itself', () => {
  it('has 10 s and 64 MiB as its default limits', () => {
    expect(defaultHookLimits).toEqual({ timeMs: 10_000, memoryBytes: 64 * 1024 * 1024 });
    expect(Object.isFrozen(defaultHookLimits)).toBe(true);
  });

  it('rejects bad input and limits before it starts anything', async () => {
    let spawned = 0;
    const idle = createHookRunner(() => {
      spawned += 1;
      throw new Error('not expected');
    });
    await expect(
      idle.run(afterHook('return 1;'), fakeHost({}), {
        limits: { timeMs: 0, memoryBytes: 1 << 26 },
      }),
    ).rejects.toThrow('limits.timeMs must be over 0 and at most 600000, not 0');
    await expect(
      idle.run(afterHook('return 1;'), fakeHost({}), {
        limits: { timeMs: 100, memoryBytes: 1000 },
      }),
    ).rejects.toThrow(RangeError);
    await expect(
      idle.run({ ...afterHook('return 1;'), hook: 'during' as 'after' }, fakeHost({})),
    ).rejects.toThrow("input.hook must be 'before' or 'after', not during");
    await expect(
      idle.run({ hook: 'before', code: '', vault: {}, kept: {} }, fakeHost({})),
    ).rejects.toThrow('a before hook needs input.request');
    expect(spawned).toBe(0);
  });

  it('rejects with HookEngineError when no Worker can be made', async () => {
    const none = createHookRunner(() => {
      throw new Error('Workers are not allowed here');
    });
    const running = none.run(afterHook('return 1;'), fakeHost({}));
    await expect(running).rejects.toBeInstanceOf(HookEngineError);
    await expect(running).rejects.toMatchObject({
      code: 'hook-engine-unavailable',
      message:
        'the hook engine is not available: the hook Worker could not be created: Workers are not allowed here',
    });
  });
});
