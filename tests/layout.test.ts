// The folders are the architecture: the root README's layout table says which folder may import which, and
// this test holds the code to it, type-only imports included, and refuses import cycles.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path/posix';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** folder → the folders it may import, from the README's table. */
export function layoutRules(readme: string): Map<string, Set<string> | 'everything'> {
  const section = readme.slice(readme.indexOf('## Layout'));
  const rows = section.matchAll(/^\| `([a-z-]+)\/` +\|[^|]*\| ([^|]+?) +\|$/gm);
  const rules = new Map<string, Set<string> | 'everything'>();
  const folders = [...section.matchAll(/^\| `([a-z-]+)\/`/gm)].map((m) => m[1] as string);
  for (const [, folder, allowed] of rows) {
    if (folder === undefined || allowed === undefined || allowed === '—') continue;
    const named = new Set([...allowed.matchAll(/`([a-z-]+)`/g)].map((m) => m[1] as string));
    if (allowed === 'everything') rules.set(folder, 'everything');
    else if (allowed.startsWith('everything but'))
      rules.set(folder, new Set(folders.filter((f) => !named.has(f) && f !== folder)));
    else rules.set(folder, named);
  }
  return rules;
}

const sources = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: ROOT,
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts') && existsSync(join(ROOT, f)));
const known = new Set(sources);

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Whether an import or export statement brings in types only (`import type`, or every name marked `type`). */
function typeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const names = node.exportClause;
    return names !== undefined && ts.isNamedExports(names) && names.elements.every((e) => e.isTypeOnly);
  }
  const clause = node.importClause;
  if (clause === undefined) return false;
  if (clause.isTypeOnly) return true;
  const names = clause.namedBindings;
  return (
    clause.name === undefined &&
    names !== undefined &&
    ts.isNamedImports(names) &&
    names.elements.length > 0 &&
    names.elements.every((e) => e.isTypeOnly)
  );
}

/** Every relative import of every source file (static, dynamic and `import()` types), resolved to its file. */
function importEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const from of sources) {
    const file = ts.createSourceFile(from, read(from), ts.ScriptTarget.Latest, true);
    const add = (spec: string, isType: boolean) => {
      if (!spec.startsWith('.')) return;
      const base = normalize(join(dirname(from), spec));
      const to = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`].find((c) =>
        known.has(c),
      );
      if (to !== undefined) edges.push({ from, to, typeOnly: isType });
    };
    const walk = (node: ts.Node): void => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
        if (ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier.text, typeOnly(node));
      } else if (ts.isImportTypeNode(node)) {
        const arg = node.argument;
        if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) add(arg.literal.text, true);
      } else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] !== undefined &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        add(node.arguments[0].text, false);
      }
      ts.forEachChild(node, walk);
    };
    walk(file);
  }
  return edges;
}

const top = (file: string) => file.split('/')[0] as string;

/** Import cycles, as lists of files (Tarjan's strongly connected components of more than one file). */
export function cycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
        onStack.delete(w);
        component.push(w);
      }
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('layout', () => {
  const rules = layoutRules(read('README.md'));
  const edges = importEdges();

  it('has a rule for every top-level source folder, and a folder for every rule', () => {
    const folders = new Set(sources.filter((f) => f.includes('/')).map(top));
    folders.delete('bench');
    for (const f of folders) expect(rules.has(f), `README layout table has no row for ${f}/`).toBe(true);
    for (const f of rules.keys())
      expect(existsSync(join(ROOT, f)), `${f}/ is in the table but not here`).toBe(true);
  });

  it('keeps every import between folders to the README layout table', () => {
    const broken = edges
      .filter((e) => top(e.from) !== top(e.to))
      .filter((e) => {
        const allowed = rules.get(top(e.from));
        return allowed !== undefined && allowed !== 'everything' && !allowed.has(top(e.to));
      })
      .map((e) => {
        const allowed = rules.get(top(e.from)) as Set<string>;
        const may = allowed.size === 0 ? 'nothing of ours' : [...allowed].map((a) => `${a}/`).join(', ');
        return `${e.from} imports ${e.to}, but ${top(e.from)}/ may import only ${may} (README, Layout)`;
      });
    expect(broken).toEqual([]);
  });

  it('lets the front-end take only types from the rest of cobrew', () => {
    const web = 'dashboard/web/';
    const broken = edges
      .filter((e) => e.from.startsWith(web) && !e.to.startsWith(web) && !e.typeOnly)
      .map((e) => `${e.from} imports ${e.to} at run time; the front-end ships alone: use \`import type\``);
    expect(broken).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cycles(edges).map((c) => c.join(' → '))).toEqual([]);
  });

  it('catches a forbidden import and a cycle', () => {
    const sample = layoutRules(
      '## Layout\n| `a/` | x | nothing of ours |\n| `b/` | y | `a` |\n| `c/` | z | everything but `a` |\n',
    );
    expect(sample.get('a')).toEqual(new Set());
    expect(sample.get('b')).toEqual(new Set(['a']));
    expect(sample.get('c')).toEqual(new Set(['b']));
    expect(
      cycles([
        { from: 'a/x.ts', to: 'a/y.ts', typeOnly: true },
        { from: 'a/y.ts', to: 'a/x.ts', typeOnly: false },
      ]),
    ).toEqual([['a/x.ts', 'a/y.ts']]);
  });
});
