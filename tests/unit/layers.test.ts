// The layer order of shared/ (ARCHITECTURE.md), checked on the import graph of shared/, supabase/functions and
// local/: every static `import`/`export ... from` and dynamic `import()` of a relative path.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** file -> the files it imports, with whether every import of that file is `import type` / `export type`. */
type Graph = Map<string, Map<string, { typeOnly: boolean }>>;

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s+['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function importGraph(dirs: string[]): Graph {
  const graph: Graph = new Map();
  for (const file of dirs.flatMap(tsFiles)) {
    const edges = new Map<string, { typeOnly: boolean }>();
    for (const match of readFileSync(join(ROOT, file), 'utf8').matchAll(IMPORT)) {
      const target = normalize(join(dirname(file), (match[3] ?? match[4])!));
      const typeOnly = Boolean(match[2]) && !match[4];
      edges.set(target, { typeOnly: (edges.get(target)?.typeOnly ?? true) && typeOnly });
    }
    graph.set(file, edges);
  }
  return graph;
}

/** `shared/<folder>/...` -> folder; a file directly in shared/ is the composition root, `(root)`. */
function folderOf(file: string): string | undefined {
  const parts = file.split('/');
  if (parts[0] !== 'shared') return undefined;
  return parts.length === 2 ? '(root)' : parts[1];
}

function reachable(graph: Graph, from: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...from];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const target of graph.get(file)?.keys() ?? []) stack.push(target);
  }
  return seen;
}

/** Strongly connected components of more than one node (Tarjan): each is a cycle. */
function cycles(nodes: Iterable<string>, next: (node: string) => Iterable<string>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const to of next(node)) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return found;
}

/** Folder -> folders it imports (shared/ only, the composition root left out: see rule 5). */
function folderGraph(graph: Graph): Map<string, Set<string>> {
  const folders = new Map<string, Set<string>>();
  for (const [file, edges] of graph) {
    const from = folderOf(file);
    if (!from || from === '(root)') continue;
    const targets = folders.get(from) ?? new Set<string>();
    for (const target of edges.keys()) {
      const to = folderOf(target);
      if (to && to !== from && to !== '(root)') targets.add(to);
    }
    folders.set(from, targets);
  }
  return folders;
}

const KERNEL = new Set(['http', 'auth', 'db']);
/** Folders the composition root's types may be imported from, as types only. */
const ROOT_TYPES = new Set(['shared/services.ts', 'shared/config.ts']);

/** Every broken rule, as one line each; empty when the layers hold. */
function layerViolations(graph: Graph): string[] {
  const violations: string[] = [];
  const files = [...graph.keys()];
  const inFolder = (folder: string) => files.filter((file) => folderOf(file) === folder);

  // 1. The kernel (http, with the auth and db it stands on) reaches no domain, not even through another file.
  for (const file of reachable(graph, inFolder('http'))) {
    const folder = folderOf(file);
    if (!folder || !KERNEL.has(folder)) violations.push(`shared/http reaches ${file}`);
  }
  // 2. ai does not import from workflows, directly or through another folder.
  for (const file of reachable(graph, inFolder('ai'))) {
    if (folderOf(file) === 'workflows') violations.push(`shared/ai reaches ${file}`);
  }
  // 3. No two folders of shared/ import each other, directly (jobs, ops and ai included) or round a longer loop.
  const folders = folderGraph(graph);
  for (const cycle of cycles(folders.keys(), (folder) => folders.get(folder) ?? [])) {
    violations.push(`folder cycle: ${cycle.join(' <-> ')}`);
  }
  // 4. No module imports one that imports it back.
  for (const cycle of cycles(files, (file) =>
    [...(graph.get(file)?.keys() ?? [])].filter((t) => graph.has(t)),
  )) {
    violations.push(`module cycle: ${cycle.join(' <-> ')}`);
  }
  // 5. The composition root (shared/*.ts: services, runtime, functions, ...) is above every folder: a folder sees
  //    only the types of services.ts and config.ts, never code, so nothing of the root runs inside a folder.
  for (const [file, edges] of graph) {
    const folder = folderOf(file);
    if (!folder || folder === '(root)') continue;
    for (const [target, { typeOnly }] of edges) {
      if (folderOf(target) !== '(root)') continue;
      if (!ROOT_TYPES.has(target) || !typeOnly)
        violations.push(`${file} imports the composition root's ${target}`);
    }
  }
  // 6. shared/ stands alone: it imports nothing from the local stack, the function entry points or the tests.
  for (const [file, edges] of graph) {
    if (!folderOf(file)) continue;
    for (const target of edges.keys()) {
      if (!target.startsWith('shared/')) violations.push(`${file} imports ${target} from outside shared/`);
    }
  }
  return violations;
}

describe('layers of shared/', () => {
  const graph = importGraph(['shared', 'supabase/functions', 'local']);

  it('reads the real import graph, every import to a file that exists', () => {
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get('shared/http/app.ts')?.has('shared/http/auth.ts')).toBe(true);
    expect(graph.get('shared/ai/app.ts')?.get('shared/services.ts')).toEqual({ typeOnly: true });
    const missing = [...graph].flatMap(([file, edges]) =>
      [...edges.keys()]
        .filter((target) => !existsSync(join(ROOT, target)))
        .map((target) => `${file} -> ${target}`),
    );
    expect(missing).toEqual([]);
  });

  it('keeps the layer order: kernel, jobs/ops/ai one way, ai below workflows, no cycles', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it('points jobs, ops and ai one way', () => {
    const folders = folderGraph(graph);
    for (const [a, b] of [
      ['jobs', 'ops'],
      ['jobs', 'ai'],
      ['ops', 'ai'],
    ] as const) {
      expect(folders.get(a)?.has(b) && folders.get(b)?.has(a), `${a} <-> ${b}`).toBeFalsy();
    }
  });

  it('reports each kind of violation on a synthetic graph', () => {
    const edge = (typeOnly = false) => ({ typeOnly });
    const synthetic: Graph = new Map([
      ['shared/http/app.ts', new Map([['shared/ops/store.ts', edge()]])],
      ['shared/ops/store.ts', new Map([['shared/jobs/health.ts', edge()]])],
      ['shared/jobs/health.ts', new Map([['shared/ops/store.ts', edge()]])],
      ['shared/ai/jobs.ts', new Map([['shared/workflows/effects.ts', edge()]])],
      ['shared/workflows/effects.ts', new Map([['shared/services.ts', edge(false)]])],
      ['shared/services.ts', new Map()],
      ['shared/bots/app.ts', new Map([['local/stack.ts', edge()]])],
      ['local/stack.ts', new Map()],
    ]);
    const violations = layerViolations(synthetic);
    expect(violations).toEqual(
      expect.arrayContaining([
        'shared/http reaches shared/ops/store.ts',
        'shared/http reaches shared/jobs/health.ts',
        'shared/ai reaches shared/workflows/effects.ts',
        'folder cycle: jobs <-> ops',
        'module cycle: shared/jobs/health.ts <-> shared/ops/store.ts',
        "shared/workflows/effects.ts imports the composition root's shared/services.ts",
        'shared/bots/app.ts imports local/stack.ts from outside shared/',
      ]),
    );
    // A type-only import of services.ts is the one way a folder may see the root.
    synthetic.set('shared/workflows/effects.ts', new Map([['shared/services.ts', edge(true)]]));
    expect(layerViolations(synthetic)).not.toContain(
      "shared/workflows/effects.ts imports the composition root's shared/services.ts",
    );
  });
});
