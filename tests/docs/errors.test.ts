// docs/errors.md lists every COBREW_ERR_… code the source defines, and nothing else, as fastify's test keeps
// lib/errors.js and docs/Reference/Errors.md in step.
//
// How codes are found: every file git knows (tracked or new, not ignored) outside tests/ and docs/ and other
// than Markdown. TypeScript and JavaScript files are parsed with the TypeScript compiler and only their string
// and template literals are read, so a code counts whether it is made with @fastify/error's createError, written
// as a literal (the fastify error handler's mapping, a journal's fallback) or inside SQL text (the commons'
// triggers), while a code named in a comment does not. Shell scripts count outside their comment lines
// (firmware-bridge/firmware/build.sh prints one). A code is COBREW_ERR_ followed by capitals and digits in
// words joined by underscores, so the bare prefix and the schemas' patterns ('^COBREW_ERR_[A-Z0-9_]+$') are
// not codes.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path/posix';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CODE = /COBREW_ERR_[A-Z0-9]+(?:_[A-Z0-9]+)*/g;

const codesIn = (text: string): string[] => [...text.matchAll(CODE)].map((m) => m[0]);

/** The codes written in a file's literals (script) or outside its comment lines (shell); null for other files. */
function sourceCodes(file: string, text: string): string[] | null {
  if (/\.[cm]?[jt]sx?$/.test(file)) {
    const found: string[] = [];
    const walk = (node: ts.Node): void => {
      if (
        ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateHead(node) ||
        ts.isTemplateMiddle(node) ||
        ts.isTemplateTail(node)
      ) {
        found.push(...codesIn(node.text));
      }
      ts.forEachChild(node, walk);
    };
    walk(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
    return found;
  }
  if (file.endsWith('.sh')) {
    return text
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .flatMap(codesIn);
  }
  return null;
}

/** Every code of the source, with the files that write it. */
function codesOfTheSource(): Map<string, string[]> {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => f !== '' && !/^(tests|docs)\//.test(f) && !f.endsWith('.md') && existsSync(join(ROOT, f)));
  const where = new Map<string, string[]>();
  for (const file of files) {
    const codes = sourceCodes(file, readFileSync(join(ROOT, file), 'utf8'));
    for (const code of new Set(codes)) where.set(code, [...(where.get(code) ?? []), file]);
  }
  return where;
}

/** What the catalogue says: each code's table rows (`| <a id="…"></a>`CODE` |`), its links, every code named. */
function catalogue(markdown: string) {
  const rows = [...markdown.matchAll(/^\| <a id="([^"]+)"><\/a>`([^`]+)` \|/gm)].map((m) => ({
    id: m[1] as string,
    code: m[2] as string,
  }));
  const links = new Set([...markdown.matchAll(/\]\(#(cobrew_err_[a-z0-9_]+)\)/g)].map((m) => m[1] as string));
  const anchors = [...markdown.matchAll(/<a id="(cobrew_err_[a-z0-9_]+)">/g)].map((m) => m[1] as string);
  const named = new Set([
    ...codesIn(markdown),
    ...[...links, ...anchors].map((id) => id.toUpperCase()),
    ...rows.map((r) => r.code),
  ]);
  return { rows, links, named };
}

describe('docs/errors.md', () => {
  const source = codesOfTheSource();
  const doc = catalogue(readFileSync(join(ROOT, 'docs/errors.md'), 'utf8'));

  it('finds codes in every form the source writes them', () => {
    // createError, a fastify code mapped by the error handler, SQL trigger text, a shell script.
    for (const code of [
      'COBREW_ERR_CONFIG_INVALID',
      'COBREW_ERR_UNSUPPORTED_MEDIA_TYPE',
      'COBREW_ERR_LEDGER_APPEND_ONLY',
      'COBREW_ERR_FIRMWARE_TOOLCHAIN',
    ]) {
      expect(source.has(code), code).toBe(true);
    }
  });

  it('documents every code of the source, once, with a link from the contents', () => {
    const missing = [...source.keys()]
      .filter((code) => !doc.rows.some((r) => r.code === code))
      .map((code) => `${code} (in ${source.get(code)?.join(', ')}) has no row in docs/errors.md`);
    expect(missing).toEqual([]);
    const twice = doc.rows.filter((r, i) => doc.rows.findIndex((o) => o.code === r.code) !== i);
    expect(twice.map((r) => `${r.code} has more than one row`)).toEqual([]);
    const unlinked = doc.rows
      .filter((r) => !doc.links.has(r.id))
      .map((r) => `${r.code} is not in the contents`);
    expect(unlinked).toEqual([]);
    const misnamed = doc.rows.filter((r) => r.id !== r.code.toLowerCase());
    expect(misnamed.map((r) => `${r.code}'s anchor is ${r.id}, not ${r.code.toLowerCase()}`)).toEqual([]);
  });

  it('names no code that the source no longer defines', () => {
    const stale = [...doc.named].filter((code) => !source.has(code));
    expect(stale.map((code) => `docs/errors.md names ${code}, which no source file defines`)).toEqual([]);
  });

  it('ignores codes in comments and counts those in literals', () => {
    const script = [
      '// COBREW_ERR_IN_A_COMMENT',
      "const a = createError('COBREW_ERR_MADE', 'x');",
      `const b = \`\${x} COBREW_ERR_IN_TEMPLATE \${y} COBREW_ERR_TAIL\`;`,
      "const pattern = '^COBREW_ERR_[A-Z0-9_]+$';",
    ].join('\n');
    expect(sourceCodes('x.ts', script)?.sort()).toEqual([
      'COBREW_ERR_IN_TEMPLATE',
      'COBREW_ERR_MADE',
      'COBREW_ERR_TAIL',
    ]);
    expect(sourceCodes('x.sh', '# COBREW_ERR_NOTE\necho "COBREW_ERR_SAID: no"\n')).toEqual([
      'COBREW_ERR_SAID',
    ]);
    expect(sourceCodes('x.c', '"COBREW_ERR_C"')).toBeNull();
  });
});
