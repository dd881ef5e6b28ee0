// The history worker is a V8 isolate of its own: every package it imports is loaded a second time beside
// the main thread's copy. TypeBox and Ajv (several MB there) come in only when a spool is read back.
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path/posix';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The packages a module loads with its static imports (type-only ones excepted), through ours. */
function staticPackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
    for (const node of source.statements) {
      if (!(ts.isImportDeclaration(node) || ts.isExportDeclaration(node))) continue;
      if (node.moduleSpecifier === undefined || !ts.isStringLiteral(node.moduleSpecifier)) continue;
      if (ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly : node.isTypeOnly) continue;
      const spec = node.moduleSpecifier.text;
      if (spec.startsWith('.')) visit(normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts'));
      else packages.add(spec);
    }
  };
  visit(entry);
  return packages;
}

describe('the history worker', () => {
  it('loads neither TypeBox nor Ajv until a spool is read back', () => {
    const packages = staticPackages('history/worker.ts');
    expect(packages).toContain('better-sqlite3');
    expect(packages).not.toContain('@sinclair/typebox');
    expect(packages).not.toContain('ajv');
    // The spool's check is what needs them, and is imported only when needed.
    expect(staticPackages('history/spool-check.ts')).toContain('@sinclair/typebox');
  });
});
