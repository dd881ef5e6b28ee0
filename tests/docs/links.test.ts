// Every relative link in the Markdown docs points at a file that exists and, where it names a section, at a
// heading that exists: pages move (the control studies left the README), and a dead link is a lost answer.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SKIP = new Set(['node_modules', '.git', 'fixtures', 'dist']);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return markdownFiles(path);
    return e.name.endsWith('.md') ? [path] : [];
  });
}

/** Text outside fenced code blocks. */
function unfenced(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '');
}

/** Text outside code, where links are links. */
function prose(text: string): string {
  return unfenced(text).replace(/`[^`\n]*`/g, '');
}

/**
 * The anchors a page offers: explicit `<a id>`s, and GitHub's for each heading (lower case, punctuation
 * dropped, spaces to hyphens, repeats numbered).
 */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set([...prose(text).matchAll(/<a (?:id|name)="([^"]+)"/g)].map((m) => m[1] ?? ''));
  for (const m of unfenced(text).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = (m[1] ?? '')
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

function deadLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const dead: string[] = [];
  for (const m of prose(text).matchAll(/\]\(([^)\s]+)\)/g)) {
    const link = m[1] ?? '';
    if (/^[a-z]+:/i.test(link)) continue;
    const [path = '', anchor] = link.split('#');
    const target = path === '' ? file : resolve(dirname(file), decodeURI(path));
    if (!existsSync(target)) {
      dead.push(`${link} (no such file)`);
      continue;
    }
    if (anchor === undefined || statSync(target).isDirectory() || !target.endsWith('.md')) continue;
    if (!anchors(readFileSync(target, 'utf8')).has(decodeURIComponent(anchor)))
      dead.push(`${link} (no such heading)`);
  }
  return dead.map((d) => `${relative(ROOT, file)}: ${d}`);
}

describe('links in the docs', () => {
  it('finds the pages', () => {
    expect(markdownFiles(ROOT).length).toBeGreaterThan(20);
  });

  it('anchors follow GitHub: accents kept, punctuation dropped, repeats numbered', () => {
    const page =
      '## Slow fridges: the Kölsch log\'s dip\n## A `b <c>`\n## A `b <c>`\n| <a id="x_y"></a>`X` |\n';
    expect([...anchors(page)]).toEqual(['x_y', 'slow-fridges-the-kölsch-logs-dip', 'a-b-c', 'a-b-c-1']);
  });

  it('every relative link and section anchor resolves', () => {
    expect(markdownFiles(ROOT).flatMap(deadLinks)).toEqual([]);
  });
});
