/**
 * The layer rules of docs/architecture.md (and ../shared design notes), checked over the import
 * graph of src/ so that a broken boundary fails `npm test` with the file and the import named.
 *
 * Every reference between modules counts: `import` and `export ... from` (type-only or not),
 * dynamic `import()`, `import('...')` in type positions, and `new URL('...', import.meta.url)`
 * (how a Worker entry is referenced). Specifiers are parsed with the TypeScript compiler API,
 * so comments and strings never look like imports.
 *
 * Rules:
 * 1. A component (src/ui/components) reaches core only through src/ui/state: from core it may
 *    take types (`import type`), nothing that runs. It never imports Dexie, Yjs, y-webrtc or
 *    the noble crypto either.
 * 2. A core folder (src/core/<folder>/) is reached from outside only through its `index.ts`.
 * 3. src/core never imports src/ui, src/app or src/server, and never reaches `window`,
 *    `document` or the storages through `globalThis`/`self` (the bare globals are already
 *    banned in core by biome.json's `noRestrictedGlobals`; rule 3 checks that this ban is still
 *    configured and closes the `globalThis.x` side door it does not see).
 * 4. No import cycle between core folders, and none between files (at run time), except the
 *    ones listed below as they stood when this test was written: any new cycle fails.
 * 5. src/ui and src/app never import, as values, what reaches past the `Vault` view to keys
 *    and the full handle (`handleOf`, `vaultKeyOf`, `VaultHandle`, `VaultMembers`).
 *
 * Exceptions are listed explicitly, each with its reason; an exception that no longer matches
 * anything fails too, so the lists only shrink.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

type EdgeKind =
  /** `import x from`, `import { x } from`, `export { x } from`, `import './x'` */
  | 'static'
  /** `import type`, `export type ... from`, `import('...')` in a type */
  | 'type'
  /** `import('...')` in an expression */
  | 'dynamic'
  /** `new URL('...', import.meta.url)`: a Worker entry or an asset */
  | 'url';

interface Edge {
  /** Repository-relative, with forward slashes: `src/ui/state/vaults.ts`. */
  readonly from: string;
  /** The specifier as written. */
  readonly specifier: string;
  /** Repository-relative resolved file, or undefined for a package. */
  readonly to: string | undefined;
  readonly kind: EdgeKind;
  readonly line: number;
  /** For `import { a, type b }`: the names imported as values (`a`). */
  readonly values?: readonly string[];
}

/** How an edge reads in a failure message: `src/a.ts:3 imports '../b' (src/b.ts)`. */
function show(edge: Edge): string {
  const verb = {
    static: 'imports',
    type: 'imports types from',
    dynamic: 'dynamically imports',
    url: 'references by URL',
  }[edge.kind];
  const target = edge.to && edge.to !== edge.specifier ? ` (${edge.to})` : '';
  return `${edge.from}:${edge.line} ${verb} '${edge.specifier}'${target}`;
}

// ---------------------------------------------------------------------------------------------
// Exceptions, each with its reason.

interface DeepImportException {
  readonly from: string;
  readonly to: string;
  readonly kinds: readonly EdgeKind[];
  readonly reason: string;
}

/** Rule 2 exceptions: imports of a core folder's file other than its index.ts. */
const deepImportExceptions: readonly DeepImportException[] = [
  {
    from: 'src/app/platform.ts',
    to: 'src/core/crypto/kdf-worker.ts',
    kinds: ['url'],
    reason:
      'A Worker entry is a separate program, not a module API: the composition root hands its ' +
      'URL to `new Worker(new URL(..., import.meta.url))`, which Vite bundles as its own chunk. ' +
      'It cannot be re-exported from an index.',
  },
  {
    from: 'src/app/platform.ts',
    to: 'src/core/storage/snapshot-worker.ts',
    kinds: ['url'],
    reason: 'The snapshot Worker entry, for the same reason as the KDF Worker above.',
  },
  {
    from: 'src/app/platform.ts',
    to: 'src/core/hooks/hook-worker.ts',
    kinds: ['url'],
    reason: 'The hook sandbox Worker entry (QuickJS), for the same reason as the KDF Worker above.',
  },
];

/**
 * Rule 4 exceptions: import cycles between files that existed when this test was written. Each
 * entry is one strongly connected component, listed file by file. A cycle that is not inside one
 * of these fails; so does an entry that no longer matches a cycle exactly.
 *
 * Run-time cycles (static and dynamic imports): none today, none allowed. They are the ones
 * that bite: a module can run before the one it imports has initialised.
 */
const allowedRuntimeFileCycles: readonly {
  readonly files: readonly string[];
  readonly reason: string;
}[] = [];

/** Cycles counting `import type` too: erased at build, but they still tangle a folder. */
const allowedTypeFileCycles: readonly {
  readonly files: readonly string[];
  readonly reason: string;
}[] = [];

/** Rule 4 exceptions for the folder-level graph of src/core (all edges, types included). */
const allowedFolderCycles: readonly {
  readonly folders: readonly string[];
  readonly reason: string;
}[] = [];

/** Packages a component never imports (rule 1): they are core's business, behind ui/state. */
const packagesBannedInComponents = [
  /^dexie(\/|$)/,
  /^yjs(\/|$)/,
  /^y-webrtc(\/|$)/,
  /^y-indexeddb(\/|$)/,
  /^@noble\//,
];

/** Globals core must not reach, even through `globalThis.x` or `self.x` (rule 3). */
const domGlobals = ['window', 'document', 'localStorage', 'sessionStorage', 'navigator'];

// ---------------------------------------------------------------------------------------------
// The graph.

const posix = (path: string) => path.split(sep).join('/');

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listSources(path));
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out.sort();
}

function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = join(dirname(fromFile), specifier);
  const candidates = [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    join(base, 'index.ts'),
    join(base, 'index.tsx'),
  ];
  for (const candidate of candidates) {
    if (existsSync(candidate) && statSync(candidate).isFile())
      return posix(relative(root, candidate));
  }
  return undefined;
}

interface ParsedFile {
  readonly edges: Edge[];
  /** `globalThis.window`-style accesses, as `line: text`. */
  readonly globalAccesses: { readonly line: number; readonly text: string }[];
}

function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isTypeAssertionExpression(current) ||
    ts.isSatisfiesExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

function parse(file: string): ParsedFile {
  const text = readFileSync(file, 'utf8');
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const from = posix(relative(root, file));
  const edges: Edge[] = [];
  const globalAccesses: { line: number; text: string }[] = [];
  const lineOf = (node: ts.Node) =>
    source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const add = (specifierNode: ts.Node, edgeKind: EdgeKind, values?: readonly string[]) => {
    if (!ts.isStringLiteralLike(specifierNode)) {
      throw new Error(
        `${from}:${lineOf(specifierNode)}: an import whose specifier is not a string literal ` +
          'cannot be checked against the layer rules; use a literal.',
      );
    }
    const specifier = specifierNode.text;
    const to = specifier.startsWith('.') ? resolveRelative(file, specifier) : undefined;
    // A URL may name a directory or an asset (src/server serves ../../dist): only modules count.
    if (edgeKind === 'url' && !to) return;
    if (specifier.startsWith('.') && !to) {
      throw new Error(`${from}:${lineOf(specifierNode)}: cannot resolve '${specifier}'`);
    }
    edges.push({
      from,
      specifier,
      to,
      kind: edgeKind,
      line: lineOf(specifierNode),
      ...(values ? { values } : {}),
    });
  };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      // Only `import type { ... }` is erased. Under verbatimModuleSyntax, `import { type A }`
      // still emits `import {} from '...'`, which loads the module: it counts as a run-time
      // import.
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const values =
        clause && !clause.isTypeOnly && bindings && ts.isNamedImports(bindings)
          ? bindings.elements
              .filter((element) => !element.isTypeOnly)
              .map((element) => (element.propertyName ?? element.name).text)
          : undefined;
      add(node.moduleSpecifier, clause?.isTypeOnly ? 'type' : 'static', values);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      add(node.moduleSpecifier, node.isTypeOnly ? 'type' : 'static');
    } else if (ts.isImportEqualsDeclaration(node)) {
      if (ts.isExternalModuleReference(node.moduleReference)) {
        add(node.moduleReference.expression, node.isTypeOnly ? 'type' : 'static');
      }
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument)) add(argument.literal, 'type');
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument) add(argument, 'dynamic');
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'URL' &&
      node.arguments?.length === 2 &&
      node.arguments[1]!.getText(source) === 'import.meta.url'
    ) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteralLike(first) && first.text.startsWith('.')) add(first, 'url');
    } else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const target = unwrap(node.expression);
      const name = ts.isPropertyAccessExpression(node)
        ? node.name.text
        : ts.isStringLiteralLike(node.argumentExpression)
          ? node.argumentExpression.text
          : undefined;
      if (
        ts.isIdentifier(target) &&
        (target.text === 'globalThis' || target.text === 'self') &&
        name !== undefined &&
        domGlobals.includes(name)
      ) {
        globalAccesses.push({ line: lineOf(node), text: node.getText(source) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { edges, globalAccesses };
}

const files = listSources(join(root, 'src'));
const parsed = new Map(files.map((file) => [posix(relative(root, file)), parse(file)]));
const edges = [...parsed.values()].flatMap((file) => file.edges);

/** `src/core/vault/vault-handle.ts` -> `vault`; undefined outside a core folder. */
function coreFolderOf(path: string): string | undefined {
  return /^src\/core\/([^/]+)\//.exec(path)?.[1];
}

const isIn = (path: string | undefined, dir: string) => path?.startsWith(`${dir}/`) === true;

// ---------------------------------------------------------------------------------------------
// Cycles: strongly connected components (Tarjan), any component with more than one node or a
// self-loop is a cycle.

function cyclesOf(nodes: readonly string[], next: (node: string) => Iterable<string>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const lowlinks = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  const connect = (node: string) => {
    indices.set(node, index);
    lowlinks.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of next(node)) {
      if (!indices.has(target)) {
        connect(target);
        lowlinks.set(node, Math.min(lowlinks.get(node)!, lowlinks.get(target)!));
      } else if (onStack.has(target)) {
        lowlinks.set(node, Math.min(lowlinks.get(node)!, indices.get(target)!));
      }
    }
    if (lowlinks.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = component.length === 1 && [...next(node)].includes(node);
      if (component.length > 1 || selfLoop) components.push(component.sort());
    }
  };
  for (const node of nodes) if (!indices.has(node)) connect(node);
  return components;
}

/** One path around a cycle, for the message: `a -> b -> c -> a`. */
function pathAround(component: readonly string[], next: (node: string) => Iterable<string>) {
  const members = new Set(component);
  const start = component[0]!;
  const seen = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const target of next(node)) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(seen.get(path[0]!)!);
        return [...path, start].join(' -> ');
      }
      if (!seen.has(target)) {
        seen.set(target, node);
        queue.push(target);
      }
    }
  }
  return component.join(', ');
}

/**
 * Checks today's cycles against an allow-list: a cycle not inside an allowed component is new
 * (fails); an allowed component that is not exactly a cycle any more is stale (fails, so the
 * list shrinks as cycles are broken).
 */
function checkCycles(
  what: string,
  cycles: readonly string[][],
  allowed: readonly (readonly string[])[],
  next: (node: string) => Iterable<string>,
): string[] {
  const problems: string[] = [];
  for (const cycle of cycles) {
    if (!allowed.some((entry) => cycle.every((member) => entry.includes(member)))) {
      const path = pathAround(cycle, next);
      const all = path.split(' -> ').length - 1 < cycle.length;
      problems.push(`new ${what} cycle: ${path}${all ? ` (all in it: ${cycle.join(', ')})` : ''}`);
    }
  }
  for (const entry of allowed) {
    const key = [...entry].sort().join('|');
    if (!cycles.some((cycle) => cycle.join('|') === key)) {
      problems.push(
        `allowed ${what} cycle [${entry.join(', ')}] is no longer a cycle as listed: ` +
          'shrink or remove its entry in tests/unit/architecture/imports.test.ts',
      );
    }
  }
  return problems;
}

function report(problems: readonly string[], rule: string): void {
  expect(problems, `${rule}\n  ${problems.join('\n  ')}\n`).toEqual([]);
}

// ---------------------------------------------------------------------------------------------

describe('layer boundaries of src/', () => {
  it('sees the imports it is meant to check', () => {
    // Guards the parser itself: if these stop being found, the rules below check nothing.
    expect(files.length).toBeGreaterThan(50);
    const seen = (from: string, kind: EdgeKind, to: string) =>
      edges.some((edge) => edge.from === from && edge.kind === kind && edge.to === to);
    expect(seen('src/app/platform.ts', 'static', 'src/core/profile/index.ts')).toBe(true);
    expect(seen('src/app/platform.ts', 'url', 'src/core/crypto/kdf-worker.ts')).toBe(true);
    expect(seen('src/ui/components/Workspace.tsx', 'type', 'src/core/profile/index.ts')).toBe(true);
    expect(seen('src/ui/state/join.ts', 'dynamic', 'src/core/sync/index.ts')).toBe(true);
  });

  it('components reach core only through ui/state (types excepted)', () => {
    const problems = edges
      .filter((edge) => isIn(edge.from, 'src/ui/components'))
      .flatMap((edge) => {
        if (isIn(edge.to, 'src/core') && edge.kind !== 'type') {
          return [
            `${show(edge)}: a component may only \`import type\` from core; ` +
              'reach the rest through a module in src/ui/state',
          ];
        }
        if (!edge.to && packagesBannedInComponents.some((ban) => ban.test(edge.specifier))) {
          return [`${show(edge)}: components never import this package; wrap it in src/ui/state`];
        }
        return [];
      });
    report(problems, 'Rule 1: components reach core only through src/ui/state.');
  });

  it('each core folder is reached from outside only through its index.ts', () => {
    const used = new Set<DeepImportException>();
    const problems = edges.flatMap((edge) => {
      const folder = edge.to ? coreFolderOf(edge.to) : undefined;
      if (!edge.to || !folder || coreFolderOf(edge.from) === folder) return [];
      if (edge.to === `src/core/${folder}/index.ts`) return [];
      const exception = deepImportExceptions.find(
        (entry) =>
          entry.from === edge.from && entry.to === edge.to && entry.kinds.includes(edge.kind),
      );
      if (exception) {
        used.add(exception);
        return [];
      }
      return [
        `${show(edge)}: outside src/core/${folder}/, import '${posix(
          relative(dirname(edge.from), `src/core/${folder}`),
        )}' (its index.ts) instead`,
      ];
    });
    for (const entry of deepImportExceptions) {
      for (const kind of entry.kinds) {
        const matched = edges.some(
          (edge) => edge.from === entry.from && edge.to === entry.to && edge.kind === kind,
        );
        if (!matched) {
          problems.push(
            `exception ${entry.from} -> ${entry.to} (${kind}) matches no import any more: ` +
              'remove it from deepImportExceptions',
          );
        }
      }
    }
    report(problems, 'Rule 2: a core folder is reached only through its index.ts.');
  });

  it('the UI and the app never take core-only capabilities (the full vault handle, keys)', () => {
    // Session.openVault gives the UI a `Vault` (entries and events, no key). These names reach
    // past it: the full handle, the vault key, the handle behind a view. Types stay allowed.
    const coreOnly = new Set(['handleOf', 'vaultKeyOf', 'VaultHandle', 'VaultMembers']);
    const problems = edges
      .filter(
        (edge) =>
          (isIn(edge.from, 'src/ui') || isIn(edge.from, 'src/app')) && isIn(edge.to, 'src/core'),
      )
      .flatMap((edge) =>
        (edge.values ?? [])
          .filter((name) => coreOnly.has(name))
          .map((name) => `${show(edge)} takes '${name}', which only core may use`),
      );
    report(problems, 'Rule 5: core-only capabilities stay in core.');
  });

  it('core never imports ui, app or server', () => {
    const problems = edges
      .filter((edge) => isIn(edge.from, 'src/core'))
      .filter((edge) => ['src/ui', 'src/app', 'src/server'].some((dir) => isIn(edge.to, dir)))
      .map((edge) => `${show(edge)}: core is the bottom layer and never depends on ${edge.to}`);
    report(problems, 'Rule 3: core never imports src/ui, src/app or src/server.');
  });

  it('core never reaches the DOM globals, not even through globalThis', () => {
    // The bare globals are banned by biome (noRestrictedGlobals over src/core/**): check the ban
    // is still configured rather than re-implement it.
    const biome = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8')) as {
      overrides?: {
        includes?: string[];
        linter?: {
          rules?: { style?: { noRestrictedGlobals?: { options?: { deniedGlobals?: object } } } };
        };
      }[];
    };
    const core = biome.overrides?.find((entry) => entry.includes?.includes('src/core/**'));
    const denied = Object.keys(
      core?.linter?.rules?.style?.noRestrictedGlobals?.options?.deniedGlobals ?? {},
    );
    expect(
      domGlobals.filter((name) => !denied.includes(name)),
      'biome.json must deny these globals in src/core/** (style.noRestrictedGlobals)',
    ).toEqual([]);

    const problems = [...parsed.entries()]
      .filter(([path]) => isIn(path, 'src/core'))
      .flatMap(([path, file]) =>
        file.globalAccesses.map(
          (access) =>
            `${path}:${access.line} reaches \`${access.text}\`: core is DOM-free; ` +
            'pass the platform in through an interface',
        ),
      );
    report(problems, 'Rule 3: core never touches window, document or the web storages.');
  });

  it('no new import cycle between core folders', () => {
    const folders = [
      ...new Set(files.map((file) => coreFolderOf(posix(relative(root, file)))).filter(Boolean)),
    ] as string[];
    const folderEdges = new Map<string, Set<string>>(folders.map((folder) => [folder, new Set()]));
    for (const edge of edges) {
      const from = coreFolderOf(edge.from);
      const to = edge.to ? coreFolderOf(edge.to) : undefined;
      if (from && to && from !== to) folderEdges.get(from)!.add(to);
    }
    const next = (folder: string) => folderEdges.get(folder) ?? [];
    report(
      checkCycles(
        'core folder',
        cyclesOf(folders.sort(), next),
        allowedFolderCycles.map((entry) => entry.folders),
        next,
      ),
      'Rule 4: no import cycle between core folders (types included).',
    );
  });

  it.each([
    { imports: 'run-time imports', withTypes: false, allowed: allowedRuntimeFileCycles },
    { imports: 'type imports too', withTypes: true, allowed: allowedTypeFileCycles },
  ])('no new import cycle between files ($imports)', ({ withTypes, allowed, imports }) => {
    const graph = new Map<string, string[]>();
    for (const edge of edges) {
      if (!edge.to || edge.kind === 'url' || (edge.kind === 'type' && !withTypes)) continue;
      graph.set(edge.from, [...(graph.get(edge.from) ?? []), edge.to]);
    }
    const next = (file: string) => graph.get(file) ?? [];
    report(
      checkCycles(
        'file',
        cyclesOf([...parsed.keys()], next),
        allowed.map((entry) => entry.files),
        next,
      ),
      `Rule 4: no import cycle between files (${imports}).`,
    );
  });
});
